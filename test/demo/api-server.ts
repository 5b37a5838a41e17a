// The demo API ("Acme Shop API") and its file server: an Express-style app with the CORS mistakes people
// really make, each in the place it is usually made, next to a few routes that are configured correctly.
import { createApp, type Handler } from './mini-app';

export interface ApiOptions {
  /** The frontend's origin, e.g. http://127.0.0.1:5173: what the CORS config is meant to allow. */
  frontendOrigin: string;
  /** Where exports are stored (another origin, like an object store or CDN). */
  filesOrigin: string;
}

/** A request log the demo prints with --verbose. */
export const apiLog: string[] = [];

const logRequests: Handler = (req, res, next) => {
  const t0 = Date.now();
  res.on('finish', () =>
    apiLog.push(
      `${req.method} ${req.url} → ${res.statusCode} (${Date.now() - t0} ms, Origin: ${req.headers.origin ?? '-'})`,
    ),
  );
  next();
};

/**
 * The CORS middleware everyone copies from a Q&A site: set the headers on every response, then next().
 * It never answers preflights itself; the OPTIONS route at the bottom of the app does.
 */
function cors(opts: {
  origin: string;
  credentials?: boolean;
  methods: string[];
  allowedHeaders: string[];
  exposedHeaders?: string[];
}): Handler {
  return (_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', opts.origin);
    res.setHeader('Vary', 'Origin');
    if (opts.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', opts.methods.join(', '));
    res.setHeader('Access-Control-Allow-Headers', opts.allowedHeaders.join(', '));
    if (opts.exposedHeaders?.length) res.setHeader('Access-Control-Expose-Headers', opts.exposedHeaders.join(', '));
    next();
  };
}

/** Route-level override of the allowed origin ("just this route needs something else"). */
const allowOrigin =
  (origin: string): Handler =>
  (_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', origin);
    next();
  };

/** Bearer-token auth. Preflights never carry the token (Fetch: a CORS-preflight request has no credentials). */
const requireAuth: Handler = (req, res, next) => {
  if (req.headers.authorization !== 'Bearer demo-token') {
    res.status(401).json({ error: 'unauthorized' });
    return;
  }
  next();
};

const SESSION = /(?:^|;\s*)demo_session=([^;]+)/;

export function createApi({ frontendOrigin, filesOrigin }: ApiOptions) {
  const app = createApp();
  app.use(logRequests);

  // ✗ Added later at the top of the file by the widget team: it answers before app.use(cors) below ever
  //   runs, so the response has no Access-Control-Allow-Origin. (MissingAllowOriginHeader)
  app.get('/api/weather', (req, res) => res.json({ city: req.query.get('city'), tempC: 7, sky: 'overcast' }));

  // The app's CORS policy. ✗ PATCH is missing from methods, X-Api-Key from allowedHeaders, and
  //   X-Total-Count is never exposed.
  app.use(
    '/api',
    cors({
      origin: frontendOrigin,
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Content-Type', 'Authorization'],
    }),
  );

  // ✓ Simple GET with the exact origin.
  app.get('/api/status', (_req, res) => res.json({ ok: true, version: '2.4.1' }));

  // ✓ Credentialed GET: exact origin + Allow-Credentials + Vary: Origin, all from the policy above.
  app.get('/api/me', (req, res) => res.json({ user: SESSION.exec(req.headers.cookie ?? '')?.[1] ? 'ada' : null }));

  // ✗ The profile team pasted the origin from the browser's address bar, trailing slash included.
  //   (AllowOriginMismatch)
  app.get('/api/profile', allowOrigin(`${frontendOrigin}/`), (_req, res) => res.json({ name: 'Ada Lovelace' }));

  // ✗ "Allow everyone" on a route the frontend calls with cookies: * is never valid with credentials.
  //   (WildcardOriginNotAllowed)
  app.get('/api/cart', allowOrigin('*'), (req, res) =>
    res.json({ items: 3, session: !!SESSION.exec(req.headers.cookie ?? '') }),
  );

  // ✗ Auth is mounted before the OPTIONS route below, so the preflight for /api/account gets a 401.
  //   (PreflightInvalidStatus)
  app.use('/api/account', requireAuth);
  app.get('/api/account', (_req, res) => res.json({ plan: 'pro', seats: 5 }));

  // ✗ X-Api-Key is not in allowedHeaders. (HeaderDisallowedByPreflightResponse)
  app.get('/api/search', (req, res) => res.json({ q: req.query.get('q'), hits: 12 }));

  // ✓ PUT is allowed; ✗ PATCH is not. (MethodDisallowedByPreflightResponse)
  app.put('/api/todos/:id', (req, res) => res.json({ id: Number(req.params.id), saved: true }));
  app.patch('/api/todos/:id', (req, res) => res.json({ id: Number(req.params.id), renamed: true }));

  // ✗ The handler throws; the final error handler clears the CORS headers. (MissingAllowOriginHeader, 500)
  app.get('/api/reports/monthly', () => {
    throw new Error('reports database unavailable');
  });

  // ✗ X-Total-Count is sent but not in Access-Control-Expose-Headers: hidden from the page.
  app.get('/api/orders', (req, res) => {
    res.setHeader('X-Total-Count', '42');
    res.json({ page: Number(req.query.get('page') ?? 1), orders: [{ id: 1001 }, { id: 1002 }] });
  });

  // ✗ Redirect to another origin: the browser's Origin becomes "null" on the next hop. (AllowOriginMismatch)
  app.get('/api/exports/latest', (_req, res) => res.redirect(302, `${filesOrigin}/exports/2026-11.csv`));

  // ✓ for CORS (public stock data, any origin); ✗ the partner widget calling it from a public origin is stopped
  //   by Local Network Access before this server hears of it.
  app.get('/api/stock', allowOrigin('*'), (req, res) => res.json({ sku: req.query.get('sku'), inStock: 17 }));

  // Preflights for every /api route: 204 with the headers the CORS middleware set.
  app.options('*', (_req, res) => {
    res.status(204).end();
  });
  return app;
}

/** The file server (think object storage): it allows the frontend's origin, which is right until a redirect. */
export function createFileServer({ frontendOrigin }: { frontendOrigin: string }) {
  const app = createApp();
  app.use(logRequests);
  app.use(allowOrigin(frontendOrigin));
  app.get('/exports/:name', (req, res) => {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.send(`# ${req.params.name}\nmonth,orders\n2026-11,42\n`);
  });
  return app;
}
