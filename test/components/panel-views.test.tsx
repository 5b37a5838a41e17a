// Component tests of the panel's views (jsdom): the list, the detail view and the error boundary.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { RequestList } from '../../extension/panel/request-list';
import { DetailView } from '../../extension/panel/detail-view';
import { ErrorBoundary } from '../../extension/ui/error-boundary';
import { allowedGet, blockedPreflight, PAGE } from './fixtures';

afterEach(cleanup);

describe('request list', () => {
  // jsdom has no layout: give the scroll container a size so the virtualiser has a window to fill.
  for (const [prop, v] of [['offsetHeight', 600], ['offsetWidth', 800], ['clientHeight', 600]] as const) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => v });
  }
  it('renders only a window of 50,000 rows and moves the selection with the keyboard', () => {
    const a = allowedGet(1), b = blockedPreflight(0);
    const entries = Array.from({ length: 50_000 }, (_, i) => ({ ...(i % 2 ? a : b), seq: i }));
    const onSelect = vi.fn();
    render(<RequestList entries={entries} selectedSeq={0} onSelect={onSelect} />);
    const rows = screen.getAllByRole('option');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(100);
    expect(rows[0].textContent).toContain('PUT');
    expect(rows[0].textContent).toContain('HeaderDisallowedByPreflightResponse');
    fireEvent.keyDown(screen.getByRole('listbox'), { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith(1);
    fireEvent.keyDown(screen.getByRole('listbox'), { key: 'End' });
    expect(onSelect).toHaveBeenLastCalledWith(49_999);
  });
});

describe('detail view', () => {
  it('explains a rejected preflight in plain words and highlights both headers involved', () => {
    const e = blockedPreflight(1);
    const { container } = render(<DetailView entry={e} all={[e]} framework="fastapi" onFramework={() => {}} />);
    expect(screen.getByTestId('explanation').textContent).toBe(
      `Your page at ${PAGE} sent the header x-api-key; the server's preflight answered Access-Control-Allow-Headers: content-type, so the browser never sent the PUT request.`);
    const hl = [...container.querySelectorAll('[data-highlight=true] th')].map((th) => th.textContent?.toLowerCase());
    expect(hl).toEqual(expect.arrayContaining(['access-control-request-headers', 'access-control-allow-headers']));
    const code = screen.getByTestId('config-code').textContent ?? '';
    expect(code).toContain('from fastapi.middleware.cors import CORSMiddleware');
    expect(code).toContain('x-api-key');
    expect(code).not.toContain("allow_origins=['*']");
  });

  it('shows hostile values as text, with invisible characters made visible', () => {
    const e = allowedGet(2, [{ name: 'X-Evil', value: '<img src=x onerror=alert(1)>\u202Eabc' }]);
    const { container } = render(<DetailView entry={e} all={[e]} framework={null} onFramework={() => {}} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>⟨U+202E⟩abc');
  });
});

describe('error boundary', () => {
  it('keeps the rest of the panel when one part throws', () => {
    const Boom = () => { throw new Error('bad row'); };
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<div><ErrorBoundary label="request details"><Boom /></ErrorBoundary><p>still here</p></div>);
    expect(screen.getByRole('alert').textContent).toContain('Could not show the request details: bad row');
    expect(screen.getByText('still here')).toBeTruthy();
    spy.mockRestore();
  });
});
