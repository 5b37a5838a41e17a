// The exact response headers to send, for servers we have no template for (or to check a fix by hand).
import type { OriginPolicy } from '../policy';
import { headerPlan, safePolicy, type FrameworkRenderer } from './common';

export const rawHeaders: FrameworkRenderer = {
  id: 'raw-headers',
  label: 'Raw response headers',
  targetVersion: 'Fetch standard (Chromium, Firefox)',
  language: 'http',
  defaults: 'None: these are the exact headers to send.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const origin = p.allowOrigins[0] ?? 'https://app.example.com';
    const plan = headerPlan(p, origin);
    const lines: string[] = [];
    if (p.allowOrigins.length > 1) {
      lines.push(
        `# Access-Control-Allow-Origin = the request's Origin when it is one of: ${p.allowOrigins.join(' ')}`,
        `# (shown for ${origin}); never a list, never * with credentials. Other origins: no CORS headers.`,
      );
    }
    if (plan.preflight.length) {
      lines.push(
        '# Preflight: OPTIONS with Access-Control-Request-Method, answered before auth, never redirected.',
        'HTTP/1.1 204 No Content',
      );
      for (const h of plan.preflight) lines.push(`${h.name}: ${h.value}`);
      lines.push('');
    }
    lines.push(
      `# Actual response: on every status${p.corsOnErrors ? ' (errors included: this one failed on an error response)' : ', errors included'}.`,
      'HTTP/1.1 200 OK',
    );
    for (const h of plan.actual) lines.push(`${h.name}: ${h.value}`);
    lines.push('');
    return { code: lines.join('\n'), warnings };
  },
};
