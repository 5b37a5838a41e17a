// Go literal helpers shared by the rs/cors and net/http renderers.
import { dq } from './common';

export const goStrings = (xs: string[]): string => `[]string{${xs.map(dq).join(', ')}}`;

/** gofmt aligns the values of consecutive `Key: value,` lines in a composite literal. */
export function gofmtFields(fields: [string, string][], indent: string): string[] {
  const width = Math.max(...fields.map(([k]) => k.length + 1));
  return fields.map(([k, v]) => `${indent}${`${k}:`.padEnd(width + 1)}${v},`);
}
