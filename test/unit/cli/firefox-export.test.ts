// `cors-lens explain` on a HAR Firefox's own netmonitor exported (fixtures/firefox-export.har, written by
// test/e2e/har-export.firefox.test.ts): every request gets the reason Firefox logged in that run, without a browser.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT } from './run-cli';
import { importHar } from '../../../src/har/import';
import { evaluate } from '../../../src/engine/index';

const FIX = join(ROOT, 'test/unit/cli/fixtures/firefox-export.har');
const T = 30_000;

interface Annotation {
  firefoxConsole: { url: string; reason: string | null; text: string }[];
  page: Record<string, { name: string; sawInPage: string | null }>;
}
interface Diagnosis {
  url: string;
  method: string;
  verdict: string;
  firefoxReason: string | null;
  stage: string | null;
  preflight: string;
}

const har = JSON.parse(readFileSync(FIX, 'utf8'));
const note = har.log._corsLensTest as Annotation;
const calls = Object.entries(note.page).map(([url, p]) => ({ url, ...p }));
// Firefox names the URL it refused: the request's, or the redirect hop's (servers.ts `redirect=`).
const hopsOf = (url: string) => [url, new URL(url).searchParams.get('redirect')].filter((u): u is string => !!u);
const firefoxSaid = (url: string) => note.firefoxConsole.find((v) => hopsOf(url).includes(v.url)) ?? null;

async function explain(): Promise<Diagnosis[]> {
  const r = await cli(['explain', FIX, '--format', 'json', '--browser', 'firefox']);
  expect(r.code, r.stderr).toBe(1); // something is blocked
  return JSON.parse(r.stdout).diagnoses;
}

describe('explain on a HAR exported by Firefox', () => {
  it("is Firefox's own export of the whole scenario", () => {
    expect(har.log.creator.name).toBe('Firefox');
    expect(har.log.browser.name).toBe('Firefox');
    const urls = new Set(har.log.entries.map((e: { request: { url: string } }) => e.request.url));
    expect(calls.filter((c) => !urls.has(c.url)).map((c) => c.name)).toEqual([]);
    // Firefox's shape for a request refused at the preflight: the actual request as an entry with status 0 and
    // no response headers, next to the OPTIONS entry that has the preflight's response.
    const put = har.log.entries.find((e: any) => e.request.method === 'PUT' && e.request.url.includes('/m/pfhdr'));
    expect(put.response.status).toBe(0);
    expect(put.response.headers).toEqual([]);
    expect(har.log.entries.some((e: any) => e.request.method === 'OPTIONS' && e.request.url === put.request.url)).toBe(
      true,
    );
  });

  it(
    'gives every request the verdict and reason Firefox logged',
    async () => {
      const diagnoses = await explain();
      // Preflights are folded into their requests: none is diagnosed on its own.
      expect(diagnoses.filter((d) => d.method === 'OPTIONS')).toEqual([]);
      const wrong: string[] = [];
      let agreed = 0;
      for (const c of calls) {
        const d = diagnoses.find((x) => x.url === c.url);
        if (!d) {
          wrong.push(`${c.name}: not diagnosed`);
          continue;
        }
        const t = firefoxSaid(c.url);
        if (!t) {
          if (d.verdict === 'blocked')
            wrong.push(`${c.name}: Firefox let it through (page saw ${c.sawInPage}), explain says ${d.firefoxReason}`);
          continue;
        }
        if (d.verdict === 'blocked' && d.firefoxReason === t.reason) {
          agreed++;
          continue;
        }
        if (c.name === 'cred-star-no-cookie') continue; // undecidable from the HAR: see the next test
        wrong.push(`${c.name}: Firefox ${t.reason}, explain ${d.verdict} ${d.firefoxReason ?? ''}`);
      }
      expect(wrong).toEqual([]);
      // Every call Firefox refused but the one the HAR cannot decide (16 blocked calls in the recorded scenario).
      const blockedByFirefox = calls.filter((c) => firefoxSaid(c.url)).length;
      expect(blockedByFirefox).toBeGreaterThanOrEqual(15);
      expect(agreed).toBe(blockedByFirefox - 1);
    },
    T,
  );

  it(
    'a refused preflight is reported at the preflight stage',
    async () => {
      const diagnoses = await explain();
      const pf = calls.filter((c) => c.name.startsWith('preflight-') && c.name !== 'preflight-ok');
      expect(pf.length).toBe(4);
      for (const c of pf)
        expect(
          diagnoses.find((d) => d.url === c.url),
          c.name,
        ).toMatchObject({ verdict: 'blocked', stage: 'preflight' });
    },
    T,
  );

  it('credentials: the Cookie header is the only trace; without it the verdict says it guessed', () => {
    // Firefox's HAR has no field for the credentials mode. A credentialed request that carried the session cookie
    // is decided; one to a host with no cookie looks exactly like an uncredentialed request.
    const { requests } = importHar(har);
    const verdictOf = (name: string) => {
      const c = calls.find((x) => x.name === name)!;
      const req = requests.find((r) => r.exchanges[0]?.url === c.url)!;
      return { c, v: evaluate(req, { browser: 'firefox' }) };
    };
    const withCookie = verdictOf('cred-star');
    expect(withCookie.v).toMatchObject({
      kind: 'blocked',
      reason: { firefoxReason: firefoxSaid(withCookie.c.url)!.reason },
    });
    expect(withCookie.v.inferences.find((i) => i.what === 'credentials')).toMatchObject({
      value: 'include',
      confidence: 'likely',
    });

    const noCookie = verdictOf('cred-star-no-cookie');
    const truth = firefoxSaid(noCookie.c.url)!;
    expect(truth.reason).toBe('CORSNotSupportingCredentials');
    const cred = noCookie.v.inferences.find((i) => i.what === 'credentials')!;
    expect(cred.confidence).toBe('guess');
    // The verdict names the block Firefox reported as what credentials: include would have caused.
    expect(cred.because).toContain(`with credentials: include it would be blocked`);
    expect(cred.because).toContain(`/ ${truth.reason})`);
  });
});

describe('explain picks the browser that made the HAR', () => {
  it(
    "judges a Firefox export by Firefox's rules without --browser, says so, and shows what it assumed",
    async () => {
      const withFlag = JSON.parse((await cli(['explain', FIX, '--format', 'json', '--browser', 'firefox'])).stdout);
      const r = await cli(['explain', FIX, '--format', 'json']);
      const auto = JSON.parse(r.stdout);
      expect(auto.browser).toBe('firefox');
      expect(auto.counts).toEqual(withFlag.counts);
      // Under Chromium's rules the same file looks mostly fine (Firefox records a response-side block as a 200).
      const chromium = JSON.parse((await cli(['explain', FIX, '--format', 'json', '--browser', 'chromium'])).stdout);
      expect(chromium.counts.blocked).toBeLessThan(auto.counts.blocked);
      const t = await cli(['explain', FIX]);
      expect(t.stderr).toMatch(/made by Firefox, so Firefox's rules apply/);
      // The credentialed request without a cookie: allowed, but only on a guessed credentials mode, and it says so.
      const guessed = (
        auto.diagnoses as {
          url: string;
          verdict: string;
          assumptions?: { what: string; confidence: string; because: string }[];
        }[]
      ).find((d) => d.url.includes('credstar-nocookie'));
      expect(guessed?.verdict).toBe('allowed');
      expect(guessed?.assumptions?.some((a) => a.what === 'credentials' && a.confidence === 'guess')).toBe(true);
    },
    T,
  );
});
