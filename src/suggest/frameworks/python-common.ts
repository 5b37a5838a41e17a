// Python list literals shared by the FastAPI, Starlette, Flask-CORS and Django renderers.
import { dq } from './common';

/** `["a", "b"]` on one line, or one item per line when long (black-ish layout). */
export function pyList(xs: string[], indent = '    '): string {
  const one = `[${xs.map(dq).join(', ')}]`;
  if (one.length <= 72) return one;
  return `[\n${xs.map((x) => `${indent}    ${dq(x)},`).join('\n')}\n${indent}]`;
}
