import { HarStreamImport } from '../../src/har/stream';
import { readChunks } from '../../src/cli/read-chunks';
import { NodeUtf8Decoder } from '../../src/cli/utf8';
import { evaluate } from '../../src/engine/index';
import { ReportBuilder } from '../../src/report/build';
import { rowForJson } from '../../src/report/format';
import { safeJson } from '../../src/report/sanitize';
const imp = new HarStreamImport(readChunks('/tmp/h/big.har'), { decoder: new NodeUtf8Decoder() });
const b = new ReportBuilder({ keepRows: false, maxRows: 5000 });
const rows: any[] = [];
for await (const batch of imp.batches()) for (const r of batch) rows.push(rowForJson(b.add({ request: r, verdict: evaluate(r, { browser: 'chromium' }) }), { redact: true }));
console.log(rows.length);
const time = (name: string, f: (r: any) => string) => {
  for (let k = 0; k < 3; k++) { const t = performance.now(); let n = 0; for (const r of rows) n += f(r).length; console.log(name, (performance.now() - t).toFixed(1), 'ms', n); }
};
time('safeJson', safeJson);
time('stringify', (r) => JSON.stringify(r));
const cache = new Map<string, string>();
const q = (s: string) => { let v = cache.get(s); if (v === undefined) { v = JSON.stringify(s); if (cache.size < 1000) cache.set(s, v); } return v; };
time('cachedSummary', (r) => { const { summary, ...rest } = r; return JSON.stringify(rest) + q(summary); });
const uniq = new Set(rows.map((r) => r.summary)); console.log('distinct summaries', uniq.size);
const ua = new Set(rows.map((r) => JSON.stringify(r.assumptions))); console.log('distinct assumptions', ua.size);
const BIDI = /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
time('stringify+test', (r) => { const s = JSON.stringify(r); return BIDI.test(s) ? safeJson(r) : s; });
const S = JSON.stringify;
const cache2 = new Map<string, string>();
const qc = (s: string | null | undefined) => { if (s == null) return 'null'; let v = cache2.get(s); if (v === undefined) { v = S(s); if (cache2.size < 256) cache2.set(s, v); } return v; };
const qs = (s: string | null) => (s === null ? 'null' : S(s));
time('template', (r) => {
  let o = '{"id":' + S(r.id) + ',"url":' + S(r.url) + ',"method":' + S(r.method) + ',"type":' + qc(r.type) + ',"status":' + S(r.status) + ',"verdict":' + qc(r.verdict) + ',"browser":' + qc(r.browser) + ',"reason":' + qc(r.reason) + ',"failedParameter":' + qs(r.failedParameter) + ',"firefoxReason":' + qc(r.firefoxReason) + ',"chromiumReason":' + qc(r.chromiumReason) + ',"summary":' + qc(r.summary);
  return o;
});
time('for-in generic', (r) => {
  let o = '{';
  for (const k in r) { const v = r[k]; if (v === undefined) continue; o += (o.length > 1 ? ',' : '') + S(k) + ':' + (typeof v === 'string' ? qc(v) : S(v)); }
  return o + '}';
});
import { rowJson } from '../../src/report/row-json';
let bad = 0; for (const r of rows) if (rowJson(r, { redact: false }) !== safeJson(r)) { if (bad++ < 2) console.log(rowJson(r, { redact: false }), '\n', safeJson(r)); }
console.log('mismatches', bad);
time('rowJson', (r) => rowJson(r, { redact: false }));
time('assumptions only', (r) => r.assumptions ? JSON.stringify(r.assumptions) : '');
time('summary cached', (r) => { let s = ''; for (let i = 0; i < 1; i++) s = (globalThis as any).x = r.summary; return s; });
const m = new Map<string,string>(); time('summary map', (r) => { let v = m.get(r.summary); if (!v) { v = JSON.stringify(r.summary); m.set(r.summary, v); } return v; });
time('text url', (r) => JSON.stringify(r.url));
const timeHeld = (name: string, f: (r: any) => string) => {
  for (let k = 0; k < 3; k++) { const t = performance.now(); let p = ''; let n = 0; for (const r of rows) { p += ',\n' + f(r); if (p.length > 65536) { n += Buffer.from(p, 'utf8').length; p = ''; } } console.log(name, 'held', (performance.now() - t).toFixed(1), 'ms', n); }
};
timeHeld('safeJson', (r) => safeJson(r));
timeHeld('rowJson', (r) => rowJson(r, { redact: false }));
const texts = rows.map((r) => rowJson(r, { redact: false }));
for (let k = 0; k < 3; k++) {
  let t = performance.now(); let p = ''; let n = 0; const pieces: string[] = [];
  for (const s of texts) { p += ',\n' + s; if (p.length > 65536) { n += p.charCodeAt(5); pieces.push(p); p = ''; } }
  const t1 = performance.now();
  for (const q of pieces) n += Buffer.from(q, 'utf8').length;
  const t2 = performance.now();
  for (const q of pieces) n += Buffer.byteLength(q, 'utf8');
  const t3 = performance.now();
  const big = Buffer.allocUnsafe(1 << 20); let off = 0;
  for (const q of pieces) { if (off + q.length * 3 > big.length) off = 0; off += big.write(q, off, 'utf8'); }
  const t4 = performance.now();
  console.log('concat+flatten', (t1 - t).toFixed(1), 'Buffer.from', (t2 - t1).toFixed(1), 'byteLength', (t3 - t2).toFixed(1), 'write', (t4 - t3).toFixed(1));
}
const flat = texts.map((s) => { s.charCodeAt(0); return s; });
for (let k = 0; k < 3; k++) {
  let t = performance.now(); let n = 0;
  for (const s of flat) n += s.charCodeAt(3);
  const t0 = performance.now();
  let p = ''; const pieces: string[] = [];
  for (const s of flat) { p += ',\n' + s; if (p.length > 65536) { n += p.charCodeAt(5); pieces.push(p); p = ''; } }
  const t1 = performance.now();
  let arr: string[] = []; let len = 0;
  for (const s of flat) { arr.push(s); len += s.length; if (len > 65536) { n += arr.join(',\n').charCodeAt(5); arr = []; len = 0; } }
  const t2 = performance.now();
  const big = Buffer.allocUnsafe(1 << 20); let off = 0;
  for (const s of flat) { if (off + s.length * 3 + 2 > big.length) off = 0; off += big.write(s, off, 'utf8'); }
  const t3 = performance.now();
  console.log('flatten rows', (t0 - t).toFixed(1), 'concat', (t1 - t0).toFixed(1), 'join', (t2 - t1).toFixed(1), 'write per row', (t3 - t2).toFixed(1));
}
const timeWrite = (name: string, f: (r: any) => string) => {
  for (let k = 0; k < 3; k++) { const t = performance.now(); let buf = Buffer.allocUnsafe(65536); let off = 0; let n = 0; for (const r of rows) { const s = (n++ ? ',\n' : '\n') + f(r); if (off + s.length * 3 > buf.length) { buf = Buffer.allocUnsafe(65536); off = 0; } off += buf.write(s, off, 'utf8'); } console.log(name, 'direct', (performance.now() - t).toFixed(1), 'ms'); }
};
timeWrite('safeJson', (r) => safeJson(r));
timeWrite('rowJson', (r) => rowJson(r, { redact: false }));
