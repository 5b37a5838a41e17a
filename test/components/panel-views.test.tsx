// Component tests of the panel's views (jsdom): the list, the detail view and the error boundary.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { RequestList, splitUrl } from '../../extension/panel/request-list';
import { DetailView } from '../../extension/panel/detail-view';
import { ErrorBoundary } from '../../extension/ui/error-boundary';
import { RequestSplit } from '../../extension/panel/request-split';
import { inStartOrder } from '../../extension/panel/filtering';
import { resetColumnWidths } from '../../extension/panel/column-widths';
import { allowedGet, blockedPreflight, PAGE } from './fixtures';

afterEach(cleanup);

describe('request list', () => {
  // jsdom has no layout: give the scroll container a size so the virtualiser has a window to fill.
  for (const [prop, v] of [
    ['offsetHeight', 600],
    ['offsetWidth', 800],
    ['clientHeight', 600],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => v });
  }
  it('renders only a window of 50,000 rows and moves the selection with the keyboard', () => {
    const a = allowedGet(1),
      b = blockedPreflight(0);
    const entries = Array.from({ length: 50_000 }, (_, i) => ({ ...(i % 2 ? a : b), seq: i }));
    const onSelect = vi.fn();
    render(<RequestList entries={entries} selectedSeq={0} onSelect={onSelect} />);
    const rows = screen.getAllByRole('option');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100);
    expect(rows[0].textContent).toContain('PUT');
    // The reason in words; the CorsError name is for the detail view.
    expect(rows[0].textContent).toContain('preflight rejected header x-api-key');
    expect(rows[0].textContent).not.toContain('HeaderDisallowedByPreflightResponse');
    expect(rows[0].querySelector('.c-status')?.textContent).toBe('204 CORS error');
    fireEvent.keyDown(screen.getByRole('listbox'), { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith(1);
    fireEvent.keyDown(screen.getByRole('listbox'), { key: 'End' });
    expect(onSelect).toHaveBeenLastCalledWith(49_999);
  });

  it('recycles its row elements as it scrolls, each showing its new row', () => {
    const a = allowedGet(1);
    const entries = Array.from({ length: 5_000 }, (_, i) => ({
      ...a,
      seq: i,
      request: { ...a.request, url: `http://api.test:8080/item/${i}?q=${i}` },
    }));
    render(<RequestList entries={entries} selectedSeq={null} onSelect={() => {}} />);
    const scrollTo = (rows: number) => {
      const list = screen.getByRole('listbox');
      Object.defineProperty(list, 'scrollTop', { configurable: true, value: rows * 22 });
      fireEvent.scroll(list);
    };
    const all = () => [...document.querySelectorAll<HTMLElement>('.row')];
    scrollTo(100);
    scrollTo(130); // every slot of the pool has held a row
    const before = new Set(all());
    expect(before.size).toBeLessThan(100);
    for (const rows of [131, 140, 2_000, 4_990, 7]) {
      scrollTo(rows);
      const now = screen.getAllByRole('option');
      // The same elements, not new ones…
      expect(all().every((el) => before.has(el)) && now.every((el) => before.has(el))).toBe(true);
      expect(now.length).toBeGreaterThan(20);
      // …each showing the row at its own offset.
      const shown = document.getElementById(`req-${rows + 3}`);
      expect(shown?.textContent).toContain(`/item/${rows + 3}?q=${rows + 3}`);
      expect(shown?.style.transform).toBe(`translateY(${(rows + 3) * 22}px)`);
      expect(new Set(now.map((el) => el.id)).size).toBe(now.length);
      // Rows that scrolled out stay real rows at their own offset (off screen), their position said to assistive tech.
      for (const el of now)
        expect(el.style.transform).toBe(`translateY(${(Number(el.getAttribute('aria-posinset')) - 1) * 22}px)`);
    }
    // Scrolling on rewrites text in place: not one node added or removed (every row here has the same non-empty cells).
    const added: Node[] = [];
    const mo = new MutationObserver((ms) => {
      for (const m of ms) added.push(...m.addedNodes, ...m.removedNodes);
    });
    mo.observe(screen.getByRole('listbox'), { subtree: true, childList: true });
    for (let r = 300; r < 600; r += 10) scrollTo(r);
    expect(document.getElementById('req-590')?.textContent).toContain('/item/590?');
    expect(mo.takeRecords().length + added.length).toBe(0);
    mo.disconnect();
    // Only the rows that scroll in are rewritten; the ones that scroll out are left as they are.
    const touched = new Set<Element>();
    const rowOf = (n: Node) => (n instanceof Element ? n : n.parentElement)!.closest('.row')!;
    const mo2 = new MutationObserver((ms) => {
      for (const m of ms) touched.add(rowOf(m.target));
    });
    mo2.observe(screen.getByRole('listbox'), { subtree: true, attributes: true, characterData: true });
    scrollTo(600); // ten rows on from 590
    mo2.takeRecords().forEach((m) => touched.add(rowOf(m.target)));
    mo2.disconnect();
    const rewritten = [...touched].map((el) => Number(el.getAttribute('aria-posinset')) - 1).sort((x, y) => x - y);
    expect(rewritten).toHaveLength(10);
    expect(rewritten[9] - rewritten[0]).toBe(9); // ten consecutive rows…
    expect(rewritten[0]).toBeGreaterThan(600); // …at the bottom of the new window
    // A new list (a filter) leaves no row of the old one in the DOM.
    cleanup();
    const { rerender } = render(<RequestList entries={entries} selectedSeq={null} onSelect={() => {}} />);
    scrollTo(100);
    scrollTo(130);
    scrollTo(0);
    expect(all().length).toBe(64); // the window and the rows that scrolled out of it
    rerender(<RequestList entries={entries.slice(0, 3)} selectedSeq={null} onSelect={() => {}} />);
    expect(all().map((el) => el.textContent?.match(/item\/\d+/)?.[0])).toEqual(['item/0', 'item/1', 'item/2']);
  }, 30_000);

  it('splits a URL into host and path as URL does, without one', () => {
    for (const u of [
      'http://api.test:8080/a/b?c=d#e',
      'https://x.example',
      'https://x.example?q',
      'https://u:p@h.test/p',
      'http://[::1]:8080/x',
      'https://h.test#f',
    ]) {
      const url = new URL(u);
      expect(splitUrl(u)).toEqual({ host: url.host, path: url.pathname + url.search });
    }
    expect(splitUrl('not a url')).toEqual({ host: '', path: 'not a url' });
  });
});

describe('detail view', () => {
  it('explains a rejected preflight in plain words and highlights both headers involved', () => {
    const e = blockedPreflight(1);
    const { container } = render(<DetailView entry={e} all={[e]} framework="fastapi" onFramework={() => {}} />);
    expect(screen.getByTestId('explanation').textContent).toBe(
      `Your page at ${PAGE} sent the header x-api-key; the server's preflight answered Access-Control-Allow-Headers: content-type, so the browser never sent the PUT request.`,
    );
    const code = screen.getByTestId('config-code').textContent ?? '';
    expect(code).toContain('from fastapi.middleware.cors import CORSMiddleware');
    expect(code).toContain('x-api-key');
    expect(code).not.toContain("allow_origins=['*']");
    // The header's Copy fix button copies the same config the Fix tab shows.
    expect(screen.getByTestId('copy-fix').textContent).toContain('FastAPI');
    fireEvent.click(screen.getByTestId('detail-tab-exchanges'));
    const hl = [...container.querySelectorAll('[data-highlight=true] th')].map((th) => th.textContent?.toLowerCase());
    expect(hl).toEqual(expect.arrayContaining(['access-control-request-headers', 'access-control-allow-headers']));
  });

  it('shows hostile values as text, with invisible characters made visible', () => {
    const e = allowedGet(2, [{ name: 'X-Evil', value: '<img src=x onerror=alert(1)>\u202Eabc' }]);
    const { container } = render(<DetailView entry={e} all={[e]} framework={null} onFramework={() => {}} />);
    fireEvent.click(screen.getByTestId('detail-tab-exchanges'));
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>⟨U+202E⟩abc');
  });
});

describe('list and details together', () => {
  it('opens a context menu on a row with the copy actions, and Esc closes the details', async () => {
    const entries = [allowedGet(1), blockedPreflight(2)];
    let selected: number | null = null;
    const onSelect = vi.fn((s: number | null) => {
      selected = s;
    });
    const { rerender } = render(
      <RequestSplit
        entries={entries}
        all={entries}
        selectedSeq={null}
        onSelect={onSelect}
        framework={null}
        onFramework={() => {}}
      />,
    );
    expect(document.querySelector('.split.has-selection')).toBeNull(); // the list alone until a row is selected
    fireEvent.contextMenu(document.getElementById('req-2')!, { clientX: 10, clientY: 10 });
    expect(onSelect).toHaveBeenLastCalledWith(2);
    const items = [...screen.getByTestId('row-menu').querySelectorAll('[role=menuitem]')].map((b) => b.textContent);
    expect(items).toEqual(['Copy URL', 'Copy as cURL', 'Copy as fetch', 'Copy fix (response headers)']);
    fireEvent.keyDown(screen.getByTestId('row-menu'), { key: 'Escape' });
    expect(screen.queryByTestId('row-menu')).toBeNull();
    rerender(
      <RequestSplit
        entries={entries}
        all={entries}
        selectedSeq={selected}
        onSelect={onSelect}
        framework={null}
        onFramework={() => {}}
      />,
    );
    expect(document.querySelector('.split.has-selection')).not.toBeNull();
    // The splitter beside the details resizes the list, from the keyboard too.
    const split = screen.getByTestId('split');
    expect(split.style.getPropertyValue('--list-w')).toBe('38%');
    fireEvent.keyDown(screen.getByRole('separator', { name: 'Resize the request list' }), { key: 'ArrowRight' });
    expect(split.style.getPropertyValue('--list-w')).toBe('43%');
    fireEvent.keyDown(screen.getByRole('listbox'), { key: 'Escape' });
    expect(onSelect).toHaveBeenLastCalledWith(null);
  });
});

describe('sorting', () => {
  it('lists requests in the order the page started them, not the order they ended', () => {
    const log = [allowedGet(5), blockedPreflight(2), allowedGet(3)]; // the log holds them as they completed
    expect(inStartOrder(log).map((e) => e.seq)).toEqual([2, 3, 5]);
    const inOrder = [allowedGet(1), allowedGet(2)];
    expect(inStartOrder(inOrder)).toBe(inOrder); // already in order: the same array, no copy
  });

  it('sorts by a column on a header click, reverses on the second, returns to start order on the third', () => {
    const entries = [allowedGet(1), blockedPreflight(2), allowedGet(3)];
    render(
      <RequestSplit
        entries={entries}
        all={entries}
        selectedSeq={null}
        onSelect={() => {}}
        framework={null}
        onFramework={() => {}}
      />,
    );
    const order = () =>
      [...document.querySelectorAll<HTMLElement>('[role=option]')]
        .sort((a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')))
        .map((r) => r.id);
    expect(order()).toEqual(['req-1', 'req-2', 'req-3']);
    fireEvent.click(screen.getByTestId('sort-verdict'));
    expect(order()).toEqual(['req-2', 'req-1', 'req-3']); // blocked first, ties in start order
    fireEvent.click(screen.getByTestId('sort-verdict'));
    expect(order()).toEqual(['req-1', 'req-3', 'req-2']);
    fireEvent.click(screen.getByTestId('sort-verdict'));
    expect(order()).toEqual(['req-1', 'req-2', 'req-3']);
  });
});

describe('column resizing', () => {
  afterEach(resetColumnWidths);
  const wrap = () => document.querySelector<HTMLElement>('.list-wrap')!;
  const list = (entries: ReturnType<typeof allowedGet>[]) => (
    <RequestList
      entries={entries}
      selectedSeq={null}
      onSelect={() => {}}
      sort={{ key: 'start', descending: false }}
      onSort={() => {}}
    />
  );

  it('resizes a column by dragging its header edge, on the container only, and keeps the width on a new list', () => {
    const entries = [allowedGet(1), blockedPreflight(2)];
    const { unmount } = render(list(entries));
    const edge = screen.getByTestId('resize-url');
    // jsdom has no layout: the URL header cell is 300 px wide.
    vi.spyOn(edge.parentElement!, 'getBoundingClientRect').mockReturnValue({ width: 300 } as DOMRect);
    const rowsBefore = [...document.querySelectorAll('[role=option]')];
    fireEvent.pointerDown(edge, { clientX: 500, pointerId: 1 });
    fireEvent.pointerMove(edge, { clientX: 560, pointerId: 1 });
    fireEvent.pointerUp(edge, { clientX: 560, pointerId: 1 });
    expect(wrap().style.getPropertyValue('--w-url')).toBe('360px');
    expect(edge.getAttribute('aria-valuenow')).toBe('360');
    // The rows read the width from the container: none carries a width, and none was re-created.
    const rows = [...document.querySelectorAll<HTMLElement>('[role=option]')];
    expect(rows).toEqual(rowsBefore);
    expect(rows.every((r) => !r.getAttribute('style')?.includes('--w-'))).toBe(true);
    // A move after the drag ended changes nothing.
    fireEvent.pointerMove(edge, { clientX: 900, pointerId: 1 });
    expect(wrap().style.getPropertyValue('--w-url')).toBe('360px');
    unmount();
    render(list([allowedGet(3)]));
    expect(wrap().style.getPropertyValue('--w-url')).toBe('360px');
  });

  it('resizes with ←/→ on the focused separator, within bounds', () => {
    render(list([allowedGet(1)]));
    const edge = screen.getByRole('separator', { name: 'Resize Method column' });
    vi.spyOn(edge.parentElement!, 'getBoundingClientRect').mockReturnValue({ width: 52 } as DOMRect);
    fireEvent.keyDown(edge, { key: 'ArrowRight' });
    expect(wrap().style.getPropertyValue('--w-method')).toBe('60px');
    fireEvent.keyDown(edge, { key: 'ArrowLeft', shiftKey: true });
    expect(wrap().style.getPropertyValue('--w-method')).toBe('32px'); // 60 − 32 = 28, held at the minimum
    fireEvent.keyDown(edge, { key: 'a' });
    expect(wrap().style.getPropertyValue('--w-method')).toBe('32px');
    // The last column ends at the list's edge: no separator.
    expect(screen.queryByTestId('resize-time')).toBeNull();
  });
});

describe('error boundary', () => {
  it('keeps the rest of the panel when one part throws', () => {
    const Boom = () => {
      throw new Error('bad row');
    };
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <div>
        <ErrorBoundary label="request details">
          <Boom />
        </ErrorBoundary>
        <p>still here</p>
      </div>,
    );
    expect(screen.getByRole('alert').textContent).toContain('Could not show the request details: bad row');
    expect(screen.getByText('still here')).toBeTruthy();
    spy.mockRestore();
  });
});
