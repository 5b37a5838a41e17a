// Next.js: CORS in middleware.ts (Next 13.1–15; Next 16 renames the file proxy.ts and the export proxy).
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, safePolicy, type FrameworkRenderer } from './common';
import { handlerHeaderSets, jsHeaderObject, jsList } from './js-common';

export const nextjs: FrameworkRenderer = {
  id: 'nextjs',
  label: 'Next.js (middleware)',
  targetVersion: 'next 13.1–15 (middleware.ts); next 16: proxy.ts',
  language: 'typescript',
  defaults: 'None: next.config headers() writes every header itself.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const { always, pre } = handlerHeaderSets(p);
    const code = [
      "import { NextResponse, type NextRequest } from 'next/server';",
      '',
      `const allowedOrigins = new Set(${jsList(p.allowOrigins)});`,
      `const preflightHeaders: Record<string, string> = ${jsHeaderObject(pre, '')};`,
      `const corsHeaders: Record<string, string> = ${jsHeaderObject(always, '')};`,
      '',
      'export function middleware(request: NextRequest) {',
      "  const origin = request.headers.get('origin') ?? '';",
      '  const allowed = allowedOrigins.has(origin);',
      '',
      '  // Answer preflights here: route handlers and auth never see them.',
      "  if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {",
      "    const headers = new Headers({ Vary: 'Origin' });",
      '    if (allowed) {',
      "      headers.set('Access-Control-Allow-Origin', origin);",
      '      for (const [k, v] of Object.entries(preflightHeaders)) headers.set(k, v);',
      '    }',
      '    return new NextResponse(null, { status: 204, headers });',
      '  }',
      '',
      '  const response = NextResponse.next();',
      "  response.headers.append('Vary', 'Origin');",
      '  if (allowed) {',
      "    response.headers.set('Access-Control-Allow-Origin', origin);",
      '    for (const [k, v] of Object.entries(corsHeaders)) response.headers.set(k, v);',
      '  }',
      '  return response;',
      '}',
      '',
      "export const config = { matcher: '/api/:path*' };",
      '',
    ].join('\n');
    warnings.push(
      'Adjust config.matcher to every path the page calls (preflights included); next.config.js headers() cannot answer OPTIONS or pick one origin out of several.',
    );
    warnings.push(
      'Next.js 16 renamed middleware.ts to proxy.ts and the exported function to proxy; the body is the same.',
    );
    if (hasChange(p, 'remove-duplicate-layer'))
      warnings.push(DUPLICATE_LAYER_APP + ' Also check that next.config.js headers() does not set them a second time.');
    return { code, filename: 'middleware.ts', warnings };
  },
};
