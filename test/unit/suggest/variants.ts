// Hand-built policies that exercise every branch of the renderers (syntax and hostile-input tests).
import type { OriginPolicy } from '../../../src/suggest/policy';
import { derivePolicy } from '../../../src/suggest/policy';
import { goldenScenarios } from './fixtures';

export function basePolicy(over: Partial<OriginPolicy> = {}): OriginPolicy {
  return {
    targetOrigin: 'http://127.0.0.1:8080',
    requestIds: ['x'],
    paths: ['/api/items'],
    allowOrigins: ['http://localhost:5173'],
    methods: [],
    requestHeaders: [],
    credentials: false,
    exposeHeaders: [],
    maxAge: 600,
    preflight: false,
    varyOrigin: true,
    corsOnErrors: false,
    changes: [],
    warnings: [],
    ...over,
  };
}

export function variantPolicies(): Record<string, OriginPolicy> {
  const g = goldenScenarios();
  return {
    simple: derivePolicy(g.simple).policies[0],
    multi: derivePolicy(g.multi).policies[0],
    // No preflight at all: a plain credentialed GET whose response needs ACAO only.
    minimal: basePolicy({ credentials: true }),
    // Every odd branch: opaque + IPv6 origins, lowercase and custom methods, errors, duplicate layer, http target.
    odd: basePolicy({
      allowOrigins: ['null', 'http://[::1]:8080', 'https://a-b.example.co.uk'],
      methods: ['PURGE', 'patch'],
      requestHeaders: ['authorization', 'x-request-id'],
      exposeHeaders: ['etag', 'link'],
      credentials: true,
      preflight: true,
      corsOnErrors: true,
      paths: ['/', '/v1/users/7'],
      changes: [{ code: 'remove-duplicate-layer', message: 'two layers', requestIds: ['x'] }],
    }),
    // Headers only (no method to allow), many origins.
    headersOnly: basePolicy({
      targetOrigin: 'https://api.example.com:8443',
      allowOrigins: [
        'https://a.example',
        'https://b.example',
        'https://c.example',
        'https://d.example',
        'https://e.example',
      ],
      requestHeaders: ['content-type', 'x-api-key'],
      preflight: true,
    }),
  };
}
