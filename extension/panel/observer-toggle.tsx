// The page-observer setting: wrap fetch/XHR (mode, credentials, aborts and mixed content seen from the page; DevTools
// names page-observer.js as initiator) or leave the page untouched (docs/architecture.md, "The page observer wraps fetch").
import { useEffect, useState } from 'react';
import { request } from '../platform/client';

export function ObserverToggle() {
  const [wraps, setWraps] = useState<boolean | null>(null);
  useEffect(() => {
    request('getObserverMode', {}).then(
      (r) => setWraps(r.wraps),
      () => setWraps(null),
    );
  }, []);
  if (wraps === null) return null;
  return (
    <label title="Wrapping fetch() and XMLHttpRequest lets CORS Lens see each call's mode and credentials, aborts and mixed-content blocks; DevTools then names page-observer.js as the initiator. Applies to pages loaded next.">
      <input
        type="checkbox"
        checked={wraps}
        onChange={(e) => {
          const on = e.target.checked;
          setWraps(on);
          void request('setObserverMode', { wraps: on });
        }}
      />
      Observe fetch/XHR
    </label>
  );
}
