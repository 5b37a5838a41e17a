// The watch setting: "All sites" (CORS Lens holds <all_urls>: every request of every tab goes through the browser
// process, the cost of webRequest with extraHeaders) or "Sites I choose" (only sites granted one by one; the others
// are not observed and cost less: docs/performance.md). The setting is the browser's permission state itself, read back on every change, so it never
// disagrees with what the browser's own site-access controls say (docs/site-access.md).
import { useEffect, useState } from 'react';
import {
  onSiteAccessChanged,
  openBrowserSiteSettings,
  setWatchMode,
  watchMode,
  type WatchMode,
} from '../platform/site-access';

export function WatchModeSelect() {
  const [mode, setMode] = useState<WatchMode | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    const read = () => {
      watchMode().then(setMode, () => setMode(null));
    };
    read();
    return onSiteAccessChanged(read);
  }, []);
  if (mode === null) return null;
  const change = (next: WatchMode) => {
    setNote(null);
    setWatchMode(next).then(
      (r) => {
        if (r === 'refused') setNote('The browser did not grant access to all sites.');
        if (r === 'browser-settings') setNote('browser-settings');
      },
      (e) => setNote(String(e)),
    );
  };
  return (
    <span className="watch-mode">
      <label title="All sites: every request of every tab is observed (and slowed). Sites I choose: only sites you allow; the others are not observed and slowed less.">
        Watch{' '}
        <select value={mode} data-testid="watch-mode" onChange={(e) => change(e.target.value as WatchMode)}>
          <option value="all">All sites</option>
          <option value="chosen">Sites I choose</option>
        </select>
      </label>
      {note === 'browser-settings' ? (
        <span role="status" data-testid="watch-mode-note">
          {' '}
          This browser keeps that choice in its own settings: set CORS Lens's site access to “On specific sites”.{' '}
          <button type="button" onClick={() => void openBrowserSiteSettings()}>
            Open
          </button>
        </span>
      ) : (
        note && (
          <span role="status" data-testid="watch-mode-note">
            {' '}
            {note}
          </span>
        )
      )}
    </span>
  );
}
