// The hint relay is a plain content script (public/content, copied as is into the build), so it cannot import the
// protocol module: its port name is written by hand and must stay equal to HINT_PORT_NAME.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HINT_PORT_NAME } from '../../../extension/protocol/messages';

describe('hint relay port name', () => {
  it("public/content/hint-relay.js connects with the protocol's HINT_PORT_NAME", () => {
    const source = readFileSync(new URL('../../../public/content/hint-relay.js', import.meta.url), 'utf8');
    const names = [...source.matchAll(/const PORT_NAME = '([^']*)'/g)].map((m) => m[1]);
    expect(names).toEqual([HINT_PORT_NAME]);
    expect(source).toContain('api.runtime.connect({ name: PORT_NAME })');
  });
});
