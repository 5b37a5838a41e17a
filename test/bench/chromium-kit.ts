// What the Chromium benchmarks share: the 2,000-request page workload (a realistic CORS mix), the "floor"
// extension (the same webRequest listeners as CORS Lens, doing nothing), and a CDP session on the extension's
// service worker (Playwright gives none for workers: we open a debugging port and attach with puppeteer-core).
import './harness-shim.ts';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type CDPSession } from 'puppeteer-core';
import { launchChromium, poll, type ChromiumSession } from '../e2e/harness/chromium.ts';

export { launchChromium, poll, type ChromiumSession };

export const DIST_CHROME = resolve(import.meta.dirname, '../../dist/chrome');

/** One request of the mix, as plain data the page can run. `z` appears in the URL of exactly the blocked ones. */
export interface Call { url: string; method?: string; headers?: Record<string, string>; credentials?: 'include'; blocked: boolean }

/**
 * The mix, per block of 20 requests: 8 simple GETs allowed, 2 simple GETs without ACAO (blocked), 4 preflighted PUTs
 * allowed, 2 preflighted requests refused at the preflight, 3 credentialed GETs allowed, 1 credentialed GET
 * answered with ACAO * (blocked). Every URL is unique, so no preflight is answered from Chromium's preflight cache.
 */
export function mix(page: string, api: string, n: number, tag: string): Call[] {
  const P = encodeURIComponent(page);
  const out: Call[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 20;
    const base = `${api}/${tag}`;
    if (k < 8) out.push({ url: `${base}/ok/${i}?acao=${P}`, blocked: false });
    else if (k < 10) out.push({ url: `${base}/zno/${i}`, blocked: true });
    else if (k < 14) out.push({ url: `${base}/pf/${i}?pf_acao=${P}&pf_acam=PUT&pf_acah=x-api-key&acao=${P}`, method: 'PUT', headers: { 'X-Api-Key': 'k' }, blocked: false });
    else if (k < 16) out.push({ url: `${base}/zpf/${i}?pf_acao=${P}&pf_acam=GET,POST&acao=${P}`, method: 'PATCH', blocked: true });
    else if (k < 19) out.push({ url: `${base}/cred/${i}?acao=${P}&acac=true`, credentials: 'include', blocked: false });
    else out.push({ url: `${base}/zcred/${i}?acao=*`, credentials: 'include', blocked: true });
  }
  return out;
}

/** Runs in the page: fires every call at once and returns the wall time (ms) until all have settled. */
export const runCallsInPage = async (calls: Call[]): Promise<{ ms: number; ok: number; failed: number }> => {
  const t0 = performance.now();
  const res = await Promise.allSettled(calls.map((c) => fetch(c.url, { method: c.method ?? 'GET', headers: c.headers, credentials: c.credentials ?? 'same-origin' }).then((r) => r.text())));
  const ms = performance.now() - t0;
  return { ms, ok: res.filter((r) => r.status === 'fulfilled').length, failed: res.filter((r) => r.status === 'rejected').length };
};

/**
 * The floor extension: an MV3 worker registering exactly the listeners of extension/platform/web-request.ts
 * (same events, same filter computed the same way from webRequest.ResourceType, same extraInfoSpec), each doing
 * nothing. Chromium's per-event cost (serialising details with extraHeaders, waking the worker) is all it pays.
 */
export function buildFloorExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-floor-ext-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'CORS Lens bench floor', version: '0.0.1',
    background: { service_worker: 'floor.js' },
    permissions: ['webRequest', 'storage'], host_permissions: ['<all_urls>'],
  }, null, 2));
  writeFileSync(join(dir, 'floor.js'), `// Same listener set as extension/platform/web-request.ts, doing nothing (bench floor).
const wr = chrome.webRequest;
const types = Object.values(wr.ResourceType || {}).filter((t) => t !== 'main_frame' && t !== 'sub_frame' && t !== 'websocket');
const filter = { urls: ['<all_urls>'], ...(types.length ? { types } : {}) };
const opts = chrome.webRequest.OnBeforeSendHeadersOptions;
const extra = opts && Object.values(opts).includes('extraHeaders') ? ['extraHeaders'] : [];
const on = (ev, spec) => (spec.length ? ev.addListener(() => {}, filter, spec) : ev.addListener(() => {}, filter));
on(wr.onSendHeaders, ['requestHeaders', ...extra]);
on(wr.onHeadersReceived, ['responseHeaders', ...extra]);
on(wr.onBeforeRedirect, extra);
on(wr.onCompleted, ['responseHeaders', ...extra]);
on(wr.onErrorOccurred, extra);
wr.onBeforeRequest.addListener(() => {}, { urls: ['<all_urls>'], types: ['main_frame'] });
`);
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

/** Launches Chromium with a debugging port as well as Playwright's pipe, so puppeteer can attach to the worker. */
export async function launchWithWorkerCdp(extensionDir: string): Promise<{ s: ChromiumSession; pup: Browser; worker(): Promise<CDPSession> }> {
  const port = await freePort();
  const s = await launchChromium({ extensionDir, args: [`--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'] });
  const pup = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}`, defaultViewport: null });
  let session: CDPSession | null = null;
  const worker = async () => {
    if (session && !session.detached) return session;
    const t = await pup.waitForTarget((x) => x.type() === 'service_worker' && x.url().startsWith(`chrome-extension://${s.extensionId}/`), { timeout: 30_000 });
    session = await t.createCDPSession();
    return session;
  };
  return { s, pup, worker };
}

export function requireDist(): void {
  if (!existsSync(join(DIST_CHROME, 'manifest.json'))) throw new Error(`${DIST_CHROME} is missing: run node test/scripts/build.mjs`);
}

export interface Status {
  events: number;
  errors: string[];
  tabs: { tabId: number; entries: number; blocked: number; dropped: number; droppedForQuota: number }[];
}

/** Asks the worker (from an extension page, as the panel does) and closes that page so it costs nothing later. */
export async function status(s: ChromiumSession): Promise<Status> {
  const st = await s.ask<Status>('getStatus', {});
  await (await s.extensionPage()).close();
  return st;
}

export async function tabIdOf(s: ChromiumSession, url: string): Promise<number> {
  const id = await s.tabIdOf(url);
  await (await s.extensionPage()).close();
  return id;
}
