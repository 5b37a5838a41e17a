// Starlette: CORSMiddleware passed in the middleware list (the idiomatic form since Starlette 0.13).
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, safePolicy, type FrameworkRenderer } from './common';
import { corsKwargs, starletteWarnings } from './starlette-common';

export const starlette: FrameworkRenderer = {
  id: 'starlette',
  label: 'Starlette (CORSMiddleware)',
  targetVersion: 'starlette 0.26 (Debian 12) – 1.x',
  language: 'python',
  defaults:
    'Starlette always allows Accept, Accept-Language, Content-Language and Content-Type in preflights, so they are left out of allow_headers; allow_methods replaces the default (GET only), so GET, HEAD and POST are listed.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const code = p.corsOnErrors
      ? [
          'from starlette.applications import Starlette',
          'from starlette.middleware.cors import CORSMiddleware',
          '',
          'routes = []  # your routes',
          '',
          '# Wrapping the whole app puts CORS outside ServerErrorMiddleware: unhandled exceptions (500)',
          '# then carry the CORS headers too, instead of looking like CORS failures.',
          'app = CORSMiddleware(',
          '    app=Starlette(routes=routes),',
          corsKwargs(p, '    '),
          ')',
          '',
        ]
      : [
          'from starlette.applications import Starlette',
          'from starlette.middleware import Middleware',
          'from starlette.middleware.cors import CORSMiddleware',
          '',
          'routes = []  # your routes',
          '',
          'middleware = [',
          '    # First in the list = outermost: it must answer preflights before auth runs.',
          '    Middleware(',
          '        CORSMiddleware,',
          corsKwargs(p, '        '),
          '    ),',
          ']',
          '',
          'app = Starlette(routes=routes, middleware=middleware)',
          '',
        ];
    warnings.push(...starletteWarnings(p).filter((w) => !w.startsWith('add_middleware')));
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code: code.join('\n'), filename: 'app.py', warnings };
  },
};
