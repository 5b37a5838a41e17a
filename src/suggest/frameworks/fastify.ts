// Fastify + @fastify/cors (v11 for Fastify 5), ESM with top-level await.
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, methodsWithSafelisted, safePolicy, type FrameworkRenderer } from './common';
import { optionLines, CORS_PACKAGE_KEYS } from './js-common';

export const fastify: FrameworkRenderer = {
  id: 'fastify',
  label: 'Fastify (@fastify/cors)',
  targetVersion: 'fastify 5.x / @fastify/cors 11.x',
  language: 'javascript',
  defaults:
    "@fastify/cors: methods replaces the v11 default (GET, HEAD, POST), so those are listed with every method seen; allowedHeaders replaces echoing the request's headers.",
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const code = [
      "import Fastify from 'fastify';",
      "import cors from '@fastify/cors';",
      '',
      'const fastify = Fastify();',
      '',
      '// Register (and await) before the routes; the hook then covers 404s and errors too.',
      'await fastify.register(cors, {',
      ...optionLines(p, CORS_PACKAGE_KEYS, methodsWithSafelisted(p), '  '),
      '});',
      '',
    ].join('\n');
    if (p.methods.length)
      warnings.push(
        `@fastify/cors v11 changed the default methods to GET,HEAD,POST: ${p.methods.join(', ')} fail unless listed (they are, above).`,
      );
    warnings.push(
      p.credentials
        ? "origin '*' (the default) with credentials: true still sends '*', which browsers refuse for credentialed requests: keep the list."
        : 'A plain string origin is sent to every caller as is; the array above is echoed only to listed origins.',
    );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'server.js', warnings };
  },
};
