// Component tests of the popup (jsdom), with the worker's answer mocked at the client boundary.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { allowedGet, blockedPreflight } from './fixtures';
import { buildReport } from '../../src/report';
import { evaluate } from '../../src/engine';
import type { TabSummary, WireEntry } from '../../extension/protocol/messages';
import type { TabWatchState } from '../../src/capture';

const answers: { summary: TabSummary | null; watch: TabWatchState; watched: number[] } = {
  summary: null,
  watch: { openedOnly: false, watched: true },
  watched: [],
};
vi.mock('../../extension/platform/client', () => ({
  request: vi.fn(async (name: string, args: { tabId: number }) => {
    if (name !== 'watchTab') return answers.summary;
    answers.watched.push(args.tabId);
    return answers.watch;
  }),
}));
vi.mock('../../extension/platform/watch-scope', () => ({
  openedTabsOnly: async () => answers.watch.openedOnly,
  onOpenedTabsOnlyChanged: () => () => {},
}));
vi.mock('../../extension/platform/prefs', () => ({ loadFramework: async () => 'express', saveFramework: () => {} }));
// Site access as the browser answers it: the tab's page and whether CORS Lens may watch its site.
const site = { url: 'http://127.0.0.1:5173/', has: true, asked: [] as string[] };
vi.mock('../../extension/platform/site-access', () => ({
  watchPageUrl: (_tabId: number, onUrl: (url: string | null) => void) => {
    onUrl(site.url);
    return () => {};
  },
  hasSiteAccess: async () => site.has,
  onSiteAccessChanged: () => () => {},
  requestSiteAccess: async (url: string) => {
    site.asked.push(url);
    return false;
  },
  reloadPage: () => {},
  watchMode: async () => (site.has ? 'all' : 'chosen'),
  setWatchMode: async () => 'done',
  openBrowserSiteSettings: async () => {},
}));

function summaryOf(entries: WireEntry[]): TabSummary {
  const r = buildReport(entries.map((e) => ({ request: e.request, verdict: e.verdict })));
  return {
    tabId: 1,
    meta: {
      tabId: 1,
      firstSeq: 0,
      nextSeq: entries.length,
      dropped: 0,
      droppedForQuota: 0,
      preserveLog: false,
      blocked: r.counts.blocked,
      navigations: 0,
    },
    total: r.total,
    counts: r.counts,
    groups: r.groups.map((g) => ({
      origin: g.origin,
      total: g.total,
      blocked: g.counts.blocked,
      hidden: g.counts['allowed-hidden-headers'],
      topReasons: g.topReasons.map((x) => ({ text: x.text, count: x.count })),
    })),
    failing: entries.filter((e) => e.verdict.kind === 'blocked'),
  };
}

afterEach(cleanup);

describe('popup', async () => {
  const { PopupApp } = await import('../../extension/popup/popup-app');

  it('shows counts, the failing origin with its top reason and the remembered framework', async () => {
    answers.summary = summaryOf([blockedPreflight(0), blockedPreflight(1), allowedGet(2)]);
    render(<PopupApp tabId={1} />);
    await waitFor(() => expect(screen.getByTestId('count-blocked').textContent).toBe('2 blocked'));
    expect(screen.getByTestId('count-allowed').textContent).toBe('1 allowed');
    const group = screen.getByTestId('group');
    expect(group.textContent).toContain('http://localhost:8000');
    expect(group.textContent).toContain('2 × preflight rejected header x-api-key');
    expect(screen.getByTestId('copy-fix').textContent).toContain('Express');
  });

  it('folds origins past the third, shows reasons past the third on request, and counts blocked requests no reason lists', async () => {
    const base = summaryOf([blockedPreflight(0)]);
    const groups = Array.from({ length: 6 }, (_, i) => ({
      origin: `https://a-very-long-subdomain-name-number-${i}.api.example-company.com:8443`,
      total: 20,
      blocked: 14,
      hidden: 0,
      topReasons: Array.from({ length: 5 }, (_, k) => ({ text: `2 × reason ${k}`, count: 2 })),
    }));
    answers.summary = { ...base, counts: { ...base.counts, blocked: 84 }, groups };
    render(<PopupApp tabId={1} />);
    await waitFor(() => expect(screen.getAllByTestId('group').length).toBe(6));
    const open = screen.getAllByTestId('group').filter((g) => !g.closest('details'));
    expect(open).toHaveLength(3);
    expect(screen.getByTestId('more-groups').querySelector('summary')?.textContent).toBe('3 more failing origins');
    expect(open[0].querySelectorAll(':scope > ul > li')).toHaveLength(3);
    expect(open[0].querySelector('.more-reasons summary')?.textContent).toBe('+2 more reasons');
    // 14 blocked, the five top reasons cover 10.
    expect(open[0].querySelector('[data-testid=unlisted]')?.textContent).toContain('+4 more blocked');
  });

  it('gives one fix line per distinct change an origin needs, not the first failure only', async () => {
    const a = allowedGet(3);
    const noAcao = {
      ...a.request,
      outcome: { kind: 'error' as const, error: 'net::ERR_FAILED' },
      exchanges: [{ ...a.request.exchanges[0], response: { status: 200, headers: [] } }],
    };
    const missing = { seq: 3, request: noAcao, verdict: evaluate(noAcao, { browser: 'chromium' }) };
    answers.summary = summaryOf([blockedPreflight(0), missing]);
    render(<PopupApp tabId={1} />);
    const lines = await waitFor(() => {
      const l = [...screen.getByTestId('group').querySelectorAll('.fix-line')].map((p) => p.textContent);
      expect(l).toHaveLength(2);
      return l;
    });
    expect(lines.join('\n')).toMatch(/x-api-key/);
    expect(lines.join('\n')).toMatch(/Access-Control-Allow-Origin/);
  });

  it('says to reload when nothing was captured', async () => {
    answers.summary = summaryOf([]);
    render(<PopupApp tabId={1} />);
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/Reload the page/));
  });

  it('opening it watches the tab; under "Tabs I inspect" it says what was missed and offers the reload', async () => {
    answers.watch = { openedOnly: true, watched: true, since: Date.UTC(2026, 0, 1, 9, 30), pageLoadedSince: false };
    try {
      answers.summary = summaryOf([]);
      render(<PopupApp tabId={4} />);
      const notice = await screen.findByTestId('tab-watch-notice');
      expect(notice.textContent).toMatch(/Watching this tab since .*requests the page made before are not captured/);
      expect(answers.watched).toContain(4);
      // The empty state does not repeat the reload advice the notice gives.
      expect(screen.getByText('Requests the page makes from now on appear here.')).toBeTruthy();
      expect(((await screen.findByTestId('watch-mode')) as HTMLSelectElement).value).toBe('opened');
    } finally {
      answers.watch = { openedOnly: false, watched: true };
    }
  });

  it('no notice once the page loaded since it was opened', async () => {
    answers.watch = { openedOnly: true, watched: true, since: 1, pageLoadedSince: true };
    try {
      answers.summary = summaryOf([]);
      render(<PopupApp tabId={4} />);
      expect(((await screen.findByTestId('watch-mode')) as HTMLSelectElement).value).toBe('opened');
      expect(screen.queryByTestId('tab-watch-notice')).toBeNull();
    } finally {
      answers.watch = { openedOnly: false, watched: true };
    }
  });

  it('says when CORS Lens has no access to the site, and Allow asks the browser for that site', async () => {
    site.has = false;
    try {
      answers.summary = summaryOf([]);
      render(<PopupApp tabId={1} />);
      const notice = await screen.findByTestId('no-site-access');
      expect(notice.textContent).toMatch(/127\.0\.0\.1/);
      screen.getByRole('button', { name: /Allow on/ }).click();
      await waitFor(() => expect(site.asked).toEqual([site.url]));
    } finally {
      site.has = true;
    }
  });
});
