import { NextResponse, type NextRequest } from 'next/server';

const allowedOrigins = new Set(['http://localhost:5173']);
const preflightHeaders: Record<string, string> = {
  'Access-Control-Allow-Methods': 'PUT',
  'Access-Control-Allow-Headers': 'content-type',
  'Access-Control-Max-Age': '600',
};
const corsHeaders: Record<string, string> = {};

export function middleware(request: NextRequest) {
  const origin = request.headers.get('origin') ?? '';
  const allowed = allowedOrigins.has(origin);

  // Answer preflights here: route handlers and auth never see them.
  if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
    const headers = new Headers({ Vary: 'Origin' });
    if (allowed) {
      headers.set('Access-Control-Allow-Origin', origin);
      for (const [k, v] of Object.entries(preflightHeaders)) headers.set(k, v);
    }
    return new NextResponse(null, { status: 204, headers });
  }

  const response = NextResponse.next();
  response.headers.append('Vary', 'Origin');
  if (allowed) {
    response.headers.set('Access-Control-Allow-Origin', origin);
    for (const [k, v] of Object.entries(corsHeaders)) response.headers.set(k, v);
  }
  return response;
}

export const config = { matcher: '/api/:path*' };
