// Cloudflare Workers (module syntax): a withCors() wrapper around the Worker's fetch handler.
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, safePolicy, type FrameworkRenderer } from './common';
import { handlerHeaderSets, jsHeaderObject, jsList } from './js-common';

export const cloudflareWorkers: FrameworkRenderer = {
  id: 'cloudflare-workers',
  label: 'Cloudflare Workers',
  targetVersion: 'workers runtime (wrangler 3–4), ES modules',
  language: 'javascript',
  defaults: 'None: the Worker writes every header itself.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const { always, pre } = handlerHeaderSets(p);
    const code = [
      `const ALLOWED_ORIGINS = new Set(${jsList(p.allowOrigins)});`,
      `const PREFLIGHT_HEADERS = ${jsHeaderObject(pre, '')};`,
      `const CORS_HEADERS = ${jsHeaderObject(always, '')};`,
      '',
      'function withCors(handler) {',
      '  return async (request, env, ctx) => {',
      "    const origin = request.headers.get('Origin');",
      '    const allowed = origin !== null && ALLOWED_ORIGINS.has(origin);',
      "    if (request.method === 'OPTIONS' && request.headers.has('Access-Control-Request-Method')) {",
      "      const headers = new Headers({ Vary: 'Origin' });",
      '      if (allowed) {',
      "        headers.set('Access-Control-Allow-Origin', origin);",
      '        for (const [k, v] of Object.entries(PREFLIGHT_HEADERS)) headers.set(k, v);',
      '      }',
      '      return new Response(null, { status: 204, headers });',
      '    }',
      '    let res;',
      '    try {',
      '      res = await handler(request, env, ctx);',
      '    } catch (err) {',
      '      // An uncaught exception becomes a platform error page without CORS headers.',
      "      res = new Response('Internal Server Error', { status: 500 });",
      '    }',
      '    res = new Response(res.body, res); // fetch() and cache responses have immutable headers',
      "    res.headers.append('Vary', 'Origin');",
      '    if (allowed) {',
      "      res.headers.set('Access-Control-Allow-Origin', origin);",
      '      for (const [k, v] of Object.entries(CORS_HEADERS)) res.headers.set(k, v);',
      '    }',
      '    return res;',
      '  };',
      '}',
      '',
      'async function handle(request, env, ctx) {',
      "  return new Response('ok'); // your Worker's logic",
      '}',
      '',
      'export default { fetch: withCors(handle) };',
      '',
    ].join('\n');
    warnings.push(
      'If the Worker proxies an origin that also sends Access-Control-Allow-Origin, the set() above replaces it; do not append().',
    );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'src/index.js', warnings };
  },
};
