// Geometry checks run inside a page (passed to page.evaluate, so self-contained): what is off screen, what sticks out
// sideways, and the font sizes actually rendered.

export interface LayoutReport {
  /** Selectors whose element is missing or not wholly inside the viewport. */
  offscreen: string[];
  /** Elements wider than the viewport or than the scroll container they sit in (code blocks scroll by design). */
  overflowing: string[];
  bodyFontPx: number;
  rowFontPx: number;
}

export function layoutProblems(mustSee: string[]): LayoutReport {
  const vw = document.documentElement.clientWidth,
    vh = document.documentElement.clientHeight;
  const offscreen: string[] = [];
  for (const sel of mustSee) {
    const el = document.querySelector(sel);
    const r = el?.getBoundingClientRect();
    if (!r || r.width === 0 || r.height === 0) {
      offscreen.push(`${sel}: missing`);
      continue;
    }
    if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5) {
      offscreen.push(
        `${sel}: ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} in ${vw}×${vh}`,
      );
      continue;
    }
    // Inside the viewport but hidden by the scroll container it sits in.
    for (let p = el!.parentElement; p; p = p.parentElement) {
      const cs = getComputedStyle(p);
      if (!/(auto|scroll|hidden)/.test(cs.overflowY)) continue;
      const pr = p.getBoundingClientRect();
      if (r.top < pr.top - 0.5 || r.bottom > pr.bottom + 0.5) {
        offscreen.push(`${sel}: scrolled out of ${p.className || p.tagName}`);
        break;
      }
    }
  }
  const overflowing: string[] = [];
  const name = (e: Element) =>
    `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : ''}`;
  if (document.documentElement.scrollWidth > vw + 1)
    overflowing.push(`document ${document.documentElement.scrollWidth} > ${vw}`);
  for (const e of document.querySelectorAll<HTMLElement>('body *')) {
    const cs = getComputedStyle(e);
    // Not rendered: display none, hidden, or inside a closed <details> (content-visibility: hidden in Chromium).
    if (!e.checkVisibility({ visibilityProperty: true })) continue;
    if (e.closest('pre, .sr-only')) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0) continue;
    // Cut off by the box that clips it (or the viewport): text a user cannot read. A cell that ends its text with an
    // ellipsis clips on purpose, as Network's cells do.
    let clip: HTMLElement | null = e.parentElement;
    while (clip && getComputedStyle(clip).overflowX === 'visible') clip = clip.parentElement;
    if (clip && getComputedStyle(clip).textOverflow === 'ellipsis') continue;
    const bound = Math.min(
      vw,
      clip && clip !== document.body && clip !== document.documentElement ? clip.getBoundingClientRect().right : vw,
    );
    if (r.right > bound + 1)
      overflowing.push(
        `${name(e)} right ${Math.round(r.right)} > ${Math.round(bound)}${clip ? ` (${name(clip)})` : ''}`,
      );
    // A box that scrolls sideways (other than a code block) is text the user has to scroll to read.
    if (/(auto|scroll)/.test(cs.overflowX) && e.scrollWidth > e.clientWidth + 1 && e.tagName !== 'PRE') {
      overflowing.push(`${name(e)} scrolls sideways ${e.scrollWidth} > ${e.clientWidth}`);
    }
    if (overflowing.length > 10) break;
  }
  const px = (el: Element | null) => (el ? parseFloat(getComputedStyle(el).fontSize) : 0);
  return {
    offscreen,
    overflowing,
    bodyFontPx: px(document.body),
    rowFontPx: px(document.querySelector('.row .c-url')),
  };
}
