// Hono's built-in cors middleware (hono 4.x; same code on Node, Workers, Deno and Bun).
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, methodsWithSafelisted, safePolicy, type FrameworkRenderer } from './common';
import { optionLines } from './js-common';

export const hono: FrameworkRenderer = {
  id: 'hono',
  label: 'Hono (hono/cors)',
  targetVersion: 'hono 4.x',
  language: 'typescript',
  defaults:
    "hono/cors: allowMethods replaces the default (GET, HEAD, PUT, POST, DELETE, PATCH) and allowHeaders the default of echoing the request's headers.",
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const code = [
      "import { Hono } from 'hono';",
      "import { cors } from 'hono/cors';",
      '',
      'const app = new Hono();',
      '',
      '// Register before the routes: a route registered earlier answers without running it.',
      'app.use(',
      "  '*',",
      '  cors({',
      ...optionLines(
        p,
        {
          origin: 'origin',
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
      'export default app;',
      '',
    ].join('\n');
    if (p.credentials)
      warnings.push("cors() without an origin option answers '*' even with credentials: true; keep the explicit list.");
    warnings.push("The path pattern must match the preflight URL too ('/api/*' covers OPTIONS /api/items).");
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'src/index.ts', warnings };
  },
};
