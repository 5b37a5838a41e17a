// Go standard library only: a withCORS middleware for net/http.
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, dq, hasChange, joinList, safePolicy, type FrameworkRenderer } from './common';

export const goNetHttp: FrameworkRenderer = {
  id: 'go-net-http',
  label: 'Go (net/http, no library)',
  targetVersion: 'Go 1.19+',
  language: 'go',
  defaults: 'None: the handler writes every header itself.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const width = Math.max(...p.allowOrigins.map((o) => dq(o).length + 1), 0);
    const always: string[] = [];
    if (p.credentials) always.push('\t\t\th.Set("Access-Control-Allow-Credentials", "true")');
    if (p.exposeHeaders.length)
      always.push(`\t\t\th.Set("Access-Control-Expose-Headers", ${dq(joinList(p.exposeHeaders))})`);
    const pre: string[] = [];
    if (p.methods.length) pre.push(`\t\t\t\th.Set("Access-Control-Allow-Methods", ${dq(joinList(p.methods))})`);
    if (p.requestHeaders.length)
      pre.push(`\t\t\t\th.Set("Access-Control-Allow-Headers", ${dq(joinList(p.requestHeaders))})`);
    pre.push(`\t\t\t\th.Set("Access-Control-Max-Age", "${p.maxAge}")`);
    const code = [
      'package main',
      '',
      'import (',
      '\t"log"',
      '\t"net/http"',
      ')',
      '',
      'var allowedOrigins = map[string]bool{',
      ...p.allowOrigins.map((o) => `\t${`${dq(o)}:`.padEnd(width + 1)}true,`),
      '}',
      '',
      '// withCORS answers preflights itself and sets the headers before the handler runs, so error',
      '// responses written by the handler keep them.',
      'func withCORS(next http.Handler) http.Handler {',
      '\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {',
      '\t\th := w.Header()',
      '\t\th.Add("Vary", "Origin")',
      '\t\torigin := r.Header.Get("Origin")',
      '\t\tallowed := allowedOrigins[origin]',
      '\t\tif allowed {',
      '\t\t\th.Set("Access-Control-Allow-Origin", origin)',
      ...always,
      '\t\t}',
      '\t\tif r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {',
      '\t\t\tif allowed {',
      ...pre,
      '\t\t\t}',
      '\t\t\tw.WriteHeader(http.StatusNoContent)',
      '\t\t\treturn',
      '\t\t}',
      '\t\tnext.ServeHTTP(w, r)',
      '\t})',
      '}',
      '',
      'func main() {',
      '\tmux := http.NewServeMux() // your handlers',
      '\tlog.Fatal(http.ListenAndServe(":8080", withCORS(mux)))',
      '}',
      '',
    ].join('\n');
    warnings.push(
      'Wrap the outermost handler (before auth and routers), so preflights are answered before anything can refuse them.',
    );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'main.go', warnings };
  },
};
