// Draws the toolbar icons (a lens over a crossing arrow) into public/icons/*.png without any image library.
// Run once when the design changes: `node test/scripts/make-icons.mjs`. The PNGs are committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
// Supersampled so small sizes stay smooth.
function shade(x, y) {
  const cx = 0.42,
    cy = 0.42,
    r = 0.3,
    w = 0.085;
  const d = Math.hypot(x - cx, y - cy);
  const onRing = Math.abs(d - r) < w / 2;
  // handle: from 45° on the ring outwards
  const hx = x - (cx + r * 0.707),
    hy = y - (cy + r * 0.707);
  const along = (hx + hy) / Math.SQRT2,
    across = Math.abs(hx - hy) / Math.SQRT2;
  const onHandle = along > 0 && along < 0.28 && across < w * 0.75;
  const inside = d < r - w / 2;
  // a check mark inside the lens
  const onCheck =
    inside &&
    ((Math.abs(y - cy - (-(x - cx) + 0.02)) < 0.03 && x > cx - 0.02 && x < cx + 0.16) ||
      (Math.abs(y - cy - ((x - cx) * 1 + 0.02 + 0.04)) < 0.03 && x > cx - 0.14 && x < cx - 0.02)) &&
    false;
  if (onRing || onHandle) return [15, 98, 254, 255];
  if (onCheck) return [255, 255, 255, 255];
  if (inside) return [226, 238, 255, 255];
  return [0, 0, 0, 0];
}
for (const size of [16, 32, 48, 128]) {
  const ss = 4;
  const buf = png(size, (u, v) => {
    let acc = [0, 0, 0, 0];
    for (let i = 0; i < ss; i++)
      for (let j = 0; j < ss; j++) {
        const p = shade(u + (i - ss / 2 + 0.5) / (ss * size), v + (j - ss / 2 + 0.5) / (ss * size));
        acc = acc.map((a, k) => a + p[k] * (k < 3 ? p[3] / 255 : 1));
      }
    const a = acc[3] / (ss * ss);
    return a === 0
      ? [0, 0, 0, 0]
      : [acc[0] / (acc[3] / 255), acc[1] / (acc[3] / 255), acc[2] / (acc[3] / 255), a].map(Math.round);
  });
  writeFileSync(new URL(`../../public/icons/icon-${size}.png`, import.meta.url), buf);
}
console.log('icons written');
