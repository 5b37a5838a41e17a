// Origin helpers for the capture layer; the origin itself is the engine's originOf (one parser, one contract).
export { originOf } from '../engine';

/** Requests from extension pages and other extensions are never the page's CORS traffic. */
export function isExtensionOrigin(origin: string | null): boolean {
  return !!origin && /^(chrome|moz|safari-web)-extension:/.test(origin);
}
