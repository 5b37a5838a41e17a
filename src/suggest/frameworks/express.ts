// Express + the `cors` middleware (cors 2.8, Express 4/5), ESM.
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, methodsWithSafelisted, safePolicy, type FrameworkRenderer } from './common';
import { optionLines, CORS_PACKAGE_KEYS } from './js-common';

export const express: FrameworkRenderer = {
  id: 'express',
  label: 'Express (cors)',
  targetVersion: 'express 5.x / cors 2.8.6',
  language: 'javascript',
  defaults:
    'cors: the methods list replaces the package default (GET, HEAD, PUT, PATCH, POST, DELETE), so GET, HEAD, POST and every method seen are listed; allowedHeaders replaces the default of echoing whatever the browser asks for.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const code = [
      "import express from 'express';",
      "import cors from 'cors';",
      '',
      'const app = express();',
      '',
      '// Before routes and auth: it answers every OPTIONS request itself (204), and the headers it sets',
      '// stay on 404s and errors that Express produces later.',
      'app.use(',
      '  cors({',
      ...optionLines(p, CORS_PACKAGE_KEYS, methodsWithSafelisted(p), '    '),
      '  }),',
      ');',
      '',
    ].join('\n');
    warnings.push(
      p.credentials
        ? 'cors() with no origin option sends Access-Control-Allow-Origin: * even with credentials: true, which browsers refuse: keep the array.'
        : 'A plain string origin is sent verbatim to every caller (a trailing slash in it never matches): keep the array.',
    );
    warnings.push(
      "Mounted per route instead of with app.use, preflights need their own route: app.options('/{*splat}', cors(options)) in Express 5 (app.options('*') throws).",
    );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'server.js', warnings };
  },
};
