// CORS Lens, page observer unwrapped (MAIN world, document_start; registered only when the user turned wrapping off:
// extension/platform/page-observer-mode.ts). Restores the page's own fetch and XMLHttpRequest before any page script
// runs, whichever of the two content scripts the browser injected first.
(() => {
  'use strict';
  const o = window.__corsLensObserver;
  if (o && typeof o.unwrap === 'function') o.unwrap();
  else if (!o) Object.defineProperty(window, '__corsLensUnwrapped', { value: true });
})();
