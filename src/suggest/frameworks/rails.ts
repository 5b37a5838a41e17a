// Ruby on Rails / Rack: rack-cors initializer inserted first in the middleware stack.
import type { OriginPolicy } from '../policy';
import {
  DUPLICATE_LAYER_APP,
  hasChange,
  methodsWithSafelisted,
  sq,
  safePolicy,
  type FrameworkRenderer,
} from './common';

/** `:put`, or `:'x-y'` when the method is not a bare Ruby symbol. */
const sym = (m: string): string => {
  const d = m.toLowerCase();
  return /^[a-z_][a-z0-9_]*$/.test(d) ? `:${d}` : `:${sq(d)}`;
};

export const rails: FrameworkRenderer = {
  id: 'rails',
  label: 'Ruby on Rails (rack-cors)',
  targetVersion: 'rack-cors 1.1 (Debian 12) – 3.0',
  language: 'ruby',
  defaults: 'rack-cors: methods and headers replace its defaults, so both lists are complete.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    // rack-cors turns a string that does not start with http(s):// into an any-scheme pattern, so the
    // opaque origin `null` must be an anchored Regexp.
    const origins = p.allowOrigins.map((o) => (o === 'null' ? '/\\Anull\\z/' : sq(o)));
    const opts: string[] = [];
    if (p.requestHeaders.length) opts.push(`headers: [${p.requestHeaders.map(sq).join(', ')}],`);
    opts.push(`methods: [${methodsWithSafelisted(p).map(sym).join(', ')}],`);
    if (p.exposeHeaders.length) opts.push(`expose: [${p.exposeHeaders.map(sq).join(', ')}],`);
    if (p.credentials) opts.push('credentials: true,');
    opts.push(`max_age: ${p.maxAge}`);
    const code = [
      '# config/initializers/cors.rb',
      '# insert_before 0: ahead of Warden/Devise and anything else that could answer a preflight.',
      'Rails.application.config.middleware.insert_before 0, Rack::Cors do',
      '  allow do',
      `    origins ${origins.join(', ')}`,
      "    resource '*',",
      ...opts.map((o) => `      ${o}`),
      '  end',
      'end',
      '',
    ].join('\n');
    warnings.push(
      "An exception that escapes the app (outside Rails' ShowExceptions, e.g. in plain Rack) gives a 500 without CORS headers, which the browser reports as a CORS error.",
    );
    warnings.push("origins '*' with credentials: true raises at boot; Regexp origins are unanchored (use \\A…\\z).");
    if (p.methods.some((m) => m !== m.toUpperCase()))
      warnings.push(
        'rack-cors sends methods upper-cased, so a lowercase method sent by the page (patch) keeps failing: send it uppercase.',
      );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'config/initializers/cors.rb', warnings };
  },
};
