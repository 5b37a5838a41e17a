// Koa + @koa/cors 5.x: the origin is a function, because an array would be joined into one invalid value.
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, methodsWithSafelisted, safePolicy, type FrameworkRenderer } from './common';
import { jsList, optionLines } from './js-common';

export const koa: FrameworkRenderer = {
  id: 'koa',
  label: 'Koa (@koa/cors)',
  targetVersion: 'koa 2.x/3.x / @koa/cors 5.x',
  language: 'javascript',
  defaults:
    "@koa/cors: allowMethods replaces the default (GET, HEAD, PUT, POST, DELETE, PATCH) and allowHeaders the default of echoing the request's headers.",
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const code = [
      "import Koa from 'koa';",
      "import cors from '@koa/cors';",
      '',
      'const app = new Koa();',
      '',
      `const allowedOrigins = new Set(${jsList(p.allowOrigins)});`,
      '',
      '// Before the router. @koa/cors joins an origin array into one (invalid) header value, so use a',
      "// function: it returns the request's Origin when allowed, '' (no CORS headers) otherwise.",
      'app.use(',
      '  cors({',
      "    origin: (ctx) => (allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),",
      ...optionLines(
        p,
        {
          origin: null,
          methods: 'allowMethods',
          headers: 'allowHeaders',
          expose: 'exposeHeaders',
          credentials: 'credentials',
          maxAge: 'maxAge',
        },
        methodsWithSafelisted(p),
        '    ',
      ),
      '  }),',
      ');',
      '',
    ].join('\n');
    warnings.push(
      '@koa/cors 5 with credentials: true and no origin option echoes ANY origin with credentials; never leave origin out.',
    );
    warnings.push(
      'A refused origin falls through to the router, which answers the preflight 200 without CORS headers: expected, the browser then blocks it.',
    );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'server.js', warnings };
  },
};
