// Cheap origin helpers for the capture layer (the engine has the full, spec-exact versions).

/** Serialized origin of a URL (`http://127.0.0.1:8101`), 'null' for opaque schemes, null when unparsable. */
export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    // URL.origin already serialises per the HTML spec: lowercase, default port dropped, 'null' for opaque.
    return u.origin;
  } catch {
    return null;
  }
}

/** Requests from extension pages and other extensions are never the page's CORS traffic. */
export function isExtensionOrigin(origin: string | null): boolean {
  return !!origin && /^(chrome|moz|safari-web)-extension:/.test(origin);
}
