// Redaction: credential-bearing headers, userinfo and token-like query parameters go; CORS-relevant facts stay.
import { describe, expect, it } from 'vitest';
import { isSensitiveHeader, redactHeaderValue, redactRequest, redactUrl, REDACTED } from '../../../src/report/redact';

describe('redaction', () => {
  it.each([
    'Cookie',
    'set-cookie',
    'Authorization',
    'Proxy-Authorization',
    'X-Api-Key',
    'X-Auth-Token',
    'x-csrf-token',
    'X-Refresh-Token',
    'my-app-secret',
    'X-Session-Id',
    'x-amz-security-token',
    'api-key',
    'X-Client-Key',
    'x-auth',
  ])('%s is sensitive', (n) => {
    expect(isSensitiveHeader(n)).toBe(true);
  });
  it.each([
    'Access-Control-Allow-Credentials',
    'Access-Control-Allow-Headers',
    'Access-Control-Request-Headers',
    'Origin',
    'Content-Type',
    'Sec-WebSocket-Key',
    'WWW-Authenticate',
    'Vary',
    'X-Request-Id',
  ])('%s is kept', (n) => {
    expect(isSensitiveHeader(n)).toBe(false);
  });
  it('keeps cookie names, Set-Cookie attributes and the auth scheme', () => {
    expect(redactHeaderValue('Cookie', 'sid=abc; theme=dark')).toBe(`sid=${REDACTED}; theme=${REDACTED}`);
    expect(redactHeaderValue('Set-Cookie', 'sid=abc; Path=/; Secure; SameSite=None')).toBe(
      `sid=${REDACTED}; Path=/; Secure; SameSite=None`,
    );
    expect(redactHeaderValue('Authorization', 'Bearer abc.def')).toBe(`Bearer ${REDACTED}`);
    expect(redactHeaderValue('X-Api-Key', 'k-123')).toBe(REDACTED);
    expect(redactHeaderValue('X-Anything', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig')).toBe(`token ${REDACTED}`);
    expect(redactHeaderValue('Access-Control-Allow-Headers', 'authorization, x-api-key')).toBe(
      'authorization, x-api-key',
    );
  });
  it('redacts userinfo and token-like query parameters, leaving the rest of the URL as it was', () => {
    expect(redactUrl('https://user:pw@api.test/a?page=2&access_token=abc&q=a%20b#x')).toBe(
      `https://${REDACTED}:${REDACTED}@api.test/a?page=2&access_token=${REDACTED}&q=a%20b#x`,
    );
    expect(redactUrl('https://api.test/cb#access_token=abc&state=1')).toBe(
      `https://api.test/cb#access_token=${REDACTED}&state=1`,
    );
    expect(redactUrl('https://s3.test/o?X-Amz-Signature=ff&X-Amz-Credential=c&v=1')).toBe(
      `https://s3.test/o?X-Amz-Signature=${REDACTED}&X-Amz-Credential=${REDACTED}&v=1`,
    );
    expect(redactUrl('https://api.test/plain')).toBe('https://api.test/plain');
    expect(redactUrl('not a url')).toBe('not a url');
  });
  it('redactRequest copies: the original keeps its secrets', () => {
    const req = {
      id: '1',
      initiator: 'https://a.test',
      method: 'GET',
      url: 'https://b.test/?token=t',
      outcome: { kind: 'unknown' as const },
      exchanges: [
        {
          kind: 'main' as const,
          url: 'https://b.test/?token=t',
          method: 'GET',
          requestHeaders: [{ name: 'Cookie', value: 'a=1' }],
          response: { status: 302, headers: [{ name: 'Set-Cookie', value: 'b=2' }] },
          redirectUrl: 'https://c.test/?sig=1',
        },
      ],
    };
    const r = redactRequest(req);
    expect(r.url).toBe(`https://b.test/?token=${REDACTED}`);
    expect(r.exchanges[0].requestHeaders?.[0].value).toBe(`a=${REDACTED}`);
    expect(r.exchanges[0].response?.headers[0].value).toBe(`b=${REDACTED}`);
    expect(r.exchanges[0].redirectUrl).toBe(`https://c.test/?sig=${REDACTED}`);
    expect(req.exchanges[0].requestHeaders[0].value).toBe('a=1');
  });
});
