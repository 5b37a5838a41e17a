import { startApiServer, startPageServer } from '../../e2e/harness/servers.ts';
import { buildFloorExtension, launchTracked, mix, runCallsInPage, PARALLEL } from '../chromium-kit.ts';
import { alternate, log, median, ratioOfRounds } from '../lib.ts';
import { readFileSync, writeFileSync } from 'node:fs';

const N = 1000, ROUNDS = Number(process.env.R ?? 5);
function variant(mut: (m: any, js: string) => [any, string]): string {
  const d = buildFloorExtension();
  const m = JSON.parse(readFileSync(`${d}/manifest.json`, 'utf8'));
  const js = readFileSync(`${d}/floor.js`, 'utf8');
  const [m2, js2] = mut(m, js);
  writeFileSync(`${d}/manifest.json`, JSON.stringify(m2));
  writeFileSync(`${d}/floor.js`, js2);
  return d;
}
const page = await startPageServer();
const api = await startApiServer();
const dirs: Record<string, string | null> = {
  noext: null,
  floor: buildFloorExtension(),
  nohost: variant((m, js) => { delete m.host_permissions; m.optional_host_permissions = ['<all_urls>']; return [m, js]; }),
  urlfilter: variant((m, js) => [m, js.replace("urls: ['<all_urls>']", "urls: ['http://unwatched.invalid/*']")]),
  nolisten: variant((m) => [m, '// webRequest permission, no listener\n']),
};
const s: Record<string, any> = {};
for (const [k, d] of Object.entries(dirs)) s[k] = (await launchTracked({ extensionDir: d })).s;
let i = 0;
const run = (k: string) => async () => {
  const tab = await s[k].ctx.newPage();
  const tag = `${k}${i++}`;
  await tab.goto(`${page.origin}/?run=${tag}`);
  const calls = mix(page.origin, api.origin, N, tag);
  const res = await tab.evaluate(runCallsInPage, [calls, PARALLEL] as [typeof calls, number]);
  await tab.close();
  api.log.length = 0; page.log.length = 0;
  return res.ms;
};
const t = await alternate(Object.fromEntries(Object.keys(dirs).map((k) => [k, run(k)])) as any, ROUNDS, 1, (x) => log(x));
for (const k of Object.keys(dirs)) console.log(k, Math.round(median((t as any)[k])), 'ms', (ratioOfRounds((t as any)[k], (t as any).noext)).toFixed(3), '× noext');
for (const x of Object.values(s)) await x.close();
await page.close(); await api.close();
process.exit(0);
