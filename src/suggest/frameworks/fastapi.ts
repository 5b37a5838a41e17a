// FastAPI: Starlette's CORSMiddleware re-exported as fastapi.middleware.cors (there is no CORSConfig class).
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, safePolicy, type FrameworkRenderer } from './common';
import { corsKwargs, starletteWarnings } from './starlette-common';

export const fastapi: FrameworkRenderer = {
  id: 'fastapi',
  label: 'FastAPI (CORSMiddleware)',
  targetVersion: 'fastapi 0.92 / starlette 0.26 (Debian 12) – 0.1xx / 1.x',
  language: 'python',
  defaults:
    'Starlette always allows Accept, Accept-Language, Content-Language and Content-Type in preflights, so they are left out of allow_headers; allow_methods replaces the default (GET only), so GET, HEAD and POST are listed.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const head = [
      'from fastapi import FastAPI',
      'from fastapi.middleware.cors import CORSMiddleware',
      '',
      'app = FastAPI()',
      '',
    ];
    // Starlette puts add_middleware() layers inside ServerErrorMiddleware, so an unhandled exception
    // becomes a 500 without CORS headers. When a failure was on an error response, wrap the finished
    // app instead: CORS is then the outermost layer and decorates those 500s too.
    const code = p.corsOnErrors
      ? [
          ...head,
          '# ... your routes and other middleware ...',
          '',
          "# Wrap the finished app (instead of add_middleware) so CORS sits outside Starlette's error handler:",
          '# unhandled exceptions (500) then carry the CORS headers too. Serve `app` as before (uvicorn main:app).',
          'app = CORSMiddleware(',
          '    app=app,',
          corsKwargs(p, '    '),
          ')',
          '',
        ]
      : [
          ...head,
          '# Add it after every other middleware: the last one added runs first and answers preflights.',
          'app.add_middleware(',
          '    CORSMiddleware,',
          corsKwargs(p, '    '),
          ')',
          '',
        ];
    warnings.push(...starletteWarnings(p));
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code: code.join('\n'), filename: 'main.py', warnings };
  },
};
