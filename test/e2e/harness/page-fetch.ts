// A fetch() run in a page, answering the HTTP status or the error's text (Playwright's and Puppeteer's Page both
// have this evaluate).
interface EvalPage {
  evaluate(fn: (a: any) => unknown, arg: any): Promise<any>;
}

export const fetchStatus = (page: EvalPage, url: string): Promise<number | string> =>
  page.evaluate(
    (u: string) =>
      fetch(u).then(
        (r) => r.status,
        (e) => String(e),
      ),
    url,
  );
