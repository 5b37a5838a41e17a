// Keyword arguments of Starlette's CORSMiddleware, shared by the FastAPI and Starlette renderers.
import type { OriginPolicy } from '../policy';
import { methodsWithSafelisted } from './common';
import { pyList } from './python-common';

/**
 * Starlette validates the preflight itself (400 "Disallowed CORS method" when ACRM is not in
 * allow_methods, case-sensitive), so GET/HEAD/POST are listed too: a GET with a custom header is
 * preflighted with ACRM GET. Accept, Accept-Language, Content-Language and Content-Type are always
 * allowed by Starlette, so only the other names go in allow_headers (starlette/middleware/cors.py).
 */
export function corsKwargs(p: OriginPolicy, indent: string): string {
  const lines = [`allow_origins=${pyList(p.allowOrigins, indent)},  # exact match, no trailing slash; never "*" here`];
  lines.push(`allow_methods=${pyList(methodsWithSafelisted(p), indent)},  # default is GET only`);
  const hdrs = p.requestHeaders.filter(
    (h) => !['accept', 'accept-language', 'content-language', 'content-type'].includes(h),
  );
  if (hdrs.length) lines.push(`allow_headers=${pyList(hdrs, indent)},`);
  if (p.credentials) lines.push('allow_credentials=True,');
  if (p.exposeHeaders.length) lines.push(`expose_headers=${pyList(p.exposeHeaders, indent)},`);
  lines.push(`max_age=${p.maxAge},`);
  return lines.map((l) => indent + l).join('\n');
}

export function starletteWarnings(p: OriginPolicy): string[] {
  const w = [
    p.corsOnErrors
      ? 'A request failed on an error response: Starlette answers unhandled exceptions from ServerErrorMiddleware, outside any add_middleware() layer, so those 500s have no CORS headers. This config therefore wraps the finished app (app = CORSMiddleware(app=app, ...)): declare routes before the wrap.'
      : 'Unhandled exceptions are answered by ServerErrorMiddleware outside CORSMiddleware, so a 500 has no CORS headers and looks like a CORS error in the browser: wrap the whole app (app = CORSMiddleware(app=app, ...)) if that happens.',
    'add_middleware makes the LAST added middleware the outermost: add CORSMiddleware after any auth middleware, or auth will answer preflights with 401.',
  ];
  if (p.credentials)
    w.push(
      'Never combine allow_origins=["*"] with allow_credentials=True: Starlette 0.26 sends "*" unless a Cookie header is present, newer versions reflect any origin.',
    );
  return w;
}
