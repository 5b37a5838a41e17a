// Flask-CORS: the CORS() extension with explicit options (Debian 12 ships 3.0.10 with the 6.0 fixes backported).
import type { OriginPolicy } from '../policy';
import { regexEscape } from '../validate';
import {
  DUPLICATE_LAYER_APP,
  dq,
  hasChange,
  plainRegex,
  methodsWithSafelisted,
  safePolicy,
  type FrameworkRenderer,
} from './common';
import { pyList } from './python-common';

/** Flask-CORS treats a string containing any of `*\]?$^[()` as a regex (re.match, case-insensitive). */
const REGEXY = /[*\\\]?$^[()]/;

export const flaskCors: FrameworkRenderer = {
  id: 'flask-cors',
  label: 'Flask (Flask-CORS)',
  targetVersion: 'Flask-CORS 3.0.10+deb12u1 (Debian 12) – 6.0',
  language: 'python',
  defaults:
    'Flask-CORS: methods replaces its default (GET, HEAD, POST, OPTIONS, PUT, PATCH, DELETE) and allow_headers its default (*), so both lists are complete.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    // An IPv6 origin ("http://[::1]:8000") would be read as a regex: pass it as an anchored, escaped one.
    const origins = p.allowOrigins.map((o) => (REGEXY.test(o) ? `r"${plainRegex(`^${regexEscape(o)}$`)}"` : dq(o)));
    const lines = [
      'from flask import Flask',
      'from flask_cors import CORS',
      '',
      'app = Flask(__name__)',
      '',
      'CORS(',
      '    app,',
      `    origins=[${origins.join(', ')}],  # plain strings: exact match; regexes need ^...$`,
      `    methods=${pyList(methodsWithSafelisted(p))},`,
    ];
    if (p.requestHeaders.length) lines.push(`    allow_headers=${pyList(p.requestHeaders)},`);
    if (p.exposeHeaders.length) lines.push(`    expose_headers=${pyList(p.exposeHeaders)},`);
    if (p.credentials) lines.push('    supports_credentials=True,');
    lines.push(`    max_age=${p.maxAge},`, ')', '');
    if (p.allowOrigins.length === 1) {
      warnings.push(
        'Flask-CORS sends Vary: Origin only when several origins or a regex are configured; if a cache sits in front, add Vary: Origin yourself (after_request).',
      );
    }
    warnings.push(
      'Flask-CORS never refuses a preflight with an error status: a refused origin, method or header just loses its headers, and the browser reports a missing header.',
    );
    if (p.methods.some((m) => m !== m.toUpperCase())) {
      warnings.push(
        'Flask-CORS upper-cases methods, so a page sending a lowercase method (patch) still fails: send it uppercase from the page.',
      );
    }
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code: lines.join('\n'), filename: 'app.py', warnings };
  },
};
