const ALLOWED_ORIGINS = new Set(['http://localhost:5173']);
const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'PUT',
  'Access-Control-Allow-Headers': 'content-type',
  'Access-Control-Max-Age': '600',
};
const CORS_HEADERS = {};

function withCors(handler) {
  return async (request, env, ctx) => {
    const origin = request.headers.get('Origin');
    const allowed = origin !== null && ALLOWED_ORIGINS.has(origin);
    if (request.method === 'OPTIONS' && request.headers.has('Access-Control-Request-Method')) {
      const headers = new Headers({ Vary: 'Origin' });
      if (allowed) {
        headers.set('Access-Control-Allow-Origin', origin);
        for (const [k, v] of Object.entries(PREFLIGHT_HEADERS)) headers.set(k, v);
      }
      return new Response(null, { status: 204, headers });
    }
    let res;
    try {
      res = await handler(request, env, ctx);
    } catch (err) {
      // An uncaught exception becomes a platform error page without CORS headers.
      res = new Response('Internal Server Error', { status: 500 });
    }
    res = new Response(res.body, res); // fetch() and cache responses have immutable headers
    res.headers.append('Vary', 'Origin');
    if (allowed) {
      res.headers.set('Access-Control-Allow-Origin', origin);
      for (const [k, v] of Object.entries(CORS_HEADERS)) res.headers.set(k, v);
    }
    return res;
  };
}

async function handle(request, env, ctx) {
  return new Response('ok'); // your Worker's logic
}

export default { fetch: withCors(handle) };
