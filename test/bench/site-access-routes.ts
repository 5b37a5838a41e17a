// Side by side, on the floor extension (CORS Lens's webRequest listeners doing nothing): what a page costs where the
// extension does not watch, by the way "not watched" is made. `npx tsx test/bench/site-access-routes.ts` (R=rounds).
//   floor      host permission <all_urls> granted: the cost on a watched site
//   withheld   the same, withheld by Chrome's site access "On click" (what CORS Lens ships: docs/site-access.md)
//   optional   <all_urls> as optional_host_permissions, nothing granted
//   urlfilter  listeners filtered to another site (re-registering them needs the worker awake: not shipped)
//   nolisteners  host access granted, no listener at all: what holding the webRequest permission costs by itself
//   removed    every listener registered at the worker's top level, then removed (a worker that stops listening while
//              nobody debugs)
// A script for docs/performance.md, not part of npm run bench.
import { startApiServer, startPageServer } from '../e2e/harness/servers.ts';
import { buildFloorExtension, launchTracked, mix, runCallsInPage, PARALLEL } from './chromium-kit.ts';
import { alternate, log, median, ratioOfRounds } from './lib.ts';
import { setHostAccess } from '../e2e/harness/site-access.ts';
import { readFileSync, writeFileSync } from 'node:fs';

const N = 1000,
  ROUNDS = Number(process.env.R ?? 5);
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
  withheld: buildFloorExtension(),
  optional: variant((m, js) => {
    delete m.host_permissions;
    m.optional_host_permissions = ['<all_urls>'];
    return [m, js];
  }),
  urlfilter: variant((m, js) => [m, js.replace("urls: ['<all_urls>']", "urls: ['http://unwatched.invalid/*']")]),
  nolisteners: variant((m) => [m, '// no listeners\n']),
  removed: variant((m, js) => [
    m,
    `${js}setTimeout(() => { for (const [ev, f] of listeners) ev.removeListener(f); }, 300);\n`,
  ]),
};
const s: Record<string, any> = {};
for (const [k, d] of Object.entries(dirs)) s[k] = (await launchTracked({ extensionDir: d })).s;
{
  const p = await s.withheld.ctx.newPage();
  await p.goto('chrome://extensions/');
  await setHostAccess(p, s.withheld.extensionId, 'ON_CLICK');
  await p.close();
}
let i = 0;
const run = (k: string) => async () => {
  const tab = await s[k].ctx.newPage();
  const tag = `${k}${i++}`;
  await tab.goto(`${page.origin}/?run=${tag}`);
  const calls = mix(page.origin, api.origin, N, tag);
  const res = await tab.evaluate(runCallsInPage, [calls, PARALLEL] as [typeof calls, number]);
  await tab.close();
  api.log.length = 0;
  page.log.length = 0;
  return res.ms;
};
const t = await alternate(Object.fromEntries(Object.keys(dirs).map((k) => [k, run(k)])) as any, ROUNDS, 1, (x) =>
  log(x),
);
for (const k of Object.keys(dirs))
  console.log(
    'RESULT',
    k,
    Math.round(median((t as any)[k])),
    'ms',
    ratioOfRounds((t as any)[k], (t as any).noext).toFixed(3),
    '× noext',
  );
for (const x of Object.values(s)) await x.close();
await page.close();
await api.close();
process.exit(0);
