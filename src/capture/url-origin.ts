// Origin helpers for the capture layer, on the engine's URL parser.
import { parseUrl } from '../engine';

/**
 * Serialized origin of a URL (`http://127.0.0.1:8101`), 'null' for opaque schemes, null when unparsable. The
 * engine's parser reads plain http(s) URLs without `new URL` (property-tested against it): `new URL` here was 4 % of
 * the worker's time in the bench "page" (a parse per request to tell whether it is cross-origin).
 */
export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  return parseUrl(url)?.origin ?? null;
}

/** Requests from extension pages and other extensions are never the page's CORS traffic. */
export function isExtensionOrigin(origin: string | null): boolean {
  return !!origin && /^(chrome|moz|safari-web)-extension:/.test(origin);
}
