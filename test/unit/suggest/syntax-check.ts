// The strongest syntax check available on this machine for each config language: the real parser or the
// real server's config test where Debian has one (python3 ast, node --check, TypeScript's parser, nginx -t,
// apache2 -t, caddy adapt, php -l, ruby -c, gofmt + go build, javac's parser); JSON.parse; a delimiter
// balance check for C# (no C# compiler in Debian 12 understands top-level statements).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import type { ConfigLanguage } from '../../../src/suggest/index';
import debianPackages from '../../scripts/debian-packages.json';

export interface Snippet {
  id: string;
  language: ConfigLanguage;
  code: string;
  framework: string;
}

/** Debian packages the checkers need: npm test's setup step (test/scripts/setup-machine.mjs) installs them. */
export const CHECKER_PACKAGES: readonly string[] = debianPackages.syntaxCheckers;

function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, ...opts, env: { ...process.env, ...opts.env } });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim() };
}

function checkJsTs(s: Snippet, dir: string): string[] {
  const isTs = s.language === 'typescript';
  const out = ts.transpileModule(s.code, {
    fileName: isTs ? 'snippet.ts' : 'snippet.mjs',
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const errs = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (errs.length) return errs;
  // V8's own parser on the (transpiled) module.
  const file = join(dir, `${s.id}.mjs`);
  writeFileSync(file, isTs ? out.outputText : s.code);
  const r = run(process.execPath, ['--check', file]);
  return r.ok ? [] : [r.out];
}

function checkPython(snippets: Snippet[], dir: string): Map<string, string[]> {
  const file = join(dir, 'python-snippets.json');
  writeFileSync(file, JSON.stringify(snippets.map((s) => [s.id, s.code])));
  const prog = [
    'import ast, json, sys',
    'res = {}',
    'for i, code in json.load(open(sys.argv[1])):',
    '    try:',
    '        ast.parse(code)',
    '        res[i] = []',
    '    except SyntaxError as e:',
    '        res[i] = [f"{e.msg} at line {e.lineno}"]',
    'print(json.dumps(res))',
  ].join('\n');
  const r = run('/usr/bin/python3', ['-c', prog, file]);
  if (!r.ok) return new Map(snippets.map((s) => [s.id, [r.out]]));
  return new Map(Object.entries(JSON.parse(r.out) as Record<string, string[]>));
}

function checkNginx(s: Snippet, dir: string): string[] {
  const d = join(dir, `nginx-${s.id}`);
  mkdirSync(d, { recursive: true });
  // `listen 443 ssl` needs certificate files; the TLS part is the user's own, so test it as plain http.
  const body = s.code.replace(/ ssl;/g, ';');
  const conf = [
    'worker_processes 1;',
    `pid ${d}/nginx.pid;`,
    `error_log ${d}/error.log;`,
    'events {}',
    'http {',
    `    client_body_temp_path ${d}/body; proxy_temp_path ${d}/proxy; fastcgi_temp_path ${d}/fcgi;`,
    `    uwsgi_temp_path ${d}/uwsgi; scgi_temp_path ${d}/scgi; access_log off;`,
    body,
    '}',
    '',
  ].join('\n');
  writeFileSync(join(d, 'nginx.conf'), conf);
  const r = run('nginx', ['-t', '-q', '-p', d, '-c', join(d, 'nginx.conf')]);
  return r.ok ? [] : [r.out];
}

function checkApache(s: Snippet, dir: string): string[] {
  const d = join(dir, `apache-${s.id}`);
  mkdirSync(d, { recursive: true });
  const mods = ['mpm_event', 'authz_core', 'headers', 'setenvif', 'rewrite'];
  const conf = [
    'ServerRoot /usr/lib/apache2',
    ...mods.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    `PidFile ${d}/httpd.pid`,
    `ErrorLog ${d}/error.log`,
    'Listen 127.0.0.1:18999',
    'ServerName localhost',
    s.code,
    '',
  ].join('\n');
  writeFileSync(join(d, 'apache.conf'), conf);
  const r = run('apache2', ['-t', '-f', join(d, 'apache.conf')], { env: { APACHE_RUN_DIR: d, APACHE_LOG_DIR: d } });
  return r.ok ? [] : [r.out];
}

function checkCaddy(s: Snippet, dir: string): string[] {
  const d = join(dir, `caddy-${s.id}`);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'Caddyfile'), s.code);
  const env = { XDG_DATA_HOME: d, XDG_CONFIG_HOME: d, HOME: d };
  const a = run('caddy', ['adapt', '--config', join(d, 'Caddyfile'), '--adapter', 'caddyfile'], { env });
  if (!a.ok) return [a.out];
  // `adapt` warns (exit 0) about formatting; treat "not formatted" as a failure too: the output should be idiomatic.
  if (/not formatted/i.test(a.out))
    return [`caddy fmt would change it: ${a.out.split('\n').find((l) => /formatted/i.test(l))}`];
  const v = run('caddy', ['validate', '--config', join(d, 'Caddyfile'), '--adapter', 'caddyfile'], { env });
  return v.ok ? [] : [v.out];
}

function checkPhp(s: Snippet, dir: string): string[] {
  const file = join(dir, `${s.id}.php`);
  writeFileSync(file, s.code);
  const lint = run('php', ['-l', file]);
  if (!lint.ok) return [lint.out];
  // config/cors.php is a plain `return [...]`: evaluate it and check it is the array Laravel expects.
  const r = run('php', ['-r', `$c = require ${JSON.stringify(file)}; echo json_encode($c);`]);
  if (!r.ok) return [r.out];
  const cfg = JSON.parse(r.out) as Record<string, unknown>;
  const keys = [
    'paths',
    'allowed_methods',
    'allowed_origins',
    'allowed_origins_patterns',
    'allowed_headers',
    'exposed_headers',
    'max_age',
    'supports_credentials',
  ];
  const missing = keys.filter((k) => !(k in cfg));
  return missing.length ? [`config/cors.php lacks ${missing.join(', ')}`] : [];
}

function checkRuby(s: Snippet, dir: string): string[] {
  const file = join(dir, `${s.id}.rb`);
  writeFileSync(file, s.code);
  const r = run('ruby', ['-c', file]);
  return r.ok ? [] : [r.out];
}

function checkGo(s: Snippet, dir: string): string[] {
  const d = join(dir, `go-${s.id}`);
  mkdirSync(d, { recursive: true });
  const file = join(d, 'main.go');
  writeFileSync(file, s.code);
  const fmt = run('gofmt', ['-l', '-e', file]);
  if (!fmt.ok) return [fmt.out];
  if (fmt.out.trim() !== '') return [`not gofmt-formatted: ${fmt.out}`];
  // GOPATH mode: no module proxy here; rs/cors comes from Debian's golang-github-rs-cors-dev.
  const b = run('go', ['build', '-o', join(d, 'server'), file], {
    cwd: d,
    env: { GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(tmpdir(), 'cors-lens-gocache'), GOFLAGS: '' },
  });
  return b.ok ? [] : [b.out];
}

function checkJava(snippets: Snippet[], dir: string): Map<string, string[]> {
  const files = snippets.map((s) => {
    const d = join(dir, `java-${s.id}`);
    mkdirSync(d, { recursive: true });
    const f = join(d, 'CorsConfig.java');
    writeFileSync(f, s.code);
    return [s.id, f] as const;
  });
  const r = run('java', [join(__dirname, 'tools', 'ParseOnly.java'), ...files.map(([, f]) => f)]);
  return new Map(files.map(([id, f]) => [id, r.ok ? [] : r.out.split('\n').filter((l) => l.startsWith(f))]));
}

/** Balanced (), [], {} outside strings and comments, and every statement line ends sensibly. */
function checkCsharp(s: Snippet): string[] {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  // Strings first (they contain "//" in URLs), then line comments.
  const code = s.code.replace(/"(?:[^"\\\n]|\\.)*"/g, '""').replace(/\/\/.*$/gm, '');
  for (const c of code) {
    if ('([{'.includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return [`unbalanced ${c}`];
  }
  return stack.length ? [`unclosed ${stack.join('')}`] : [];
}

function checkJson(s: Snippet): string[] {
  try {
    JSON.parse(s.code);
    return [];
  } catch (e) {
    return [String(e)];
  }
}

/** Raw header text: `Name: value` lines with token names, comments, status lines and blanks. */
function checkHttp(s: Snippet): string[] {
  const bad = s.code
    .split('\n')
    .filter(
      (l) =>
        l !== '' &&
        !l.startsWith('#') &&
        !/^HTTP\/1\.1 \d{3} [A-Za-z ]+$/.test(l) &&
        !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+: [\x20-\x7e]*$/.test(l),
    );
  return bad.map((l) => `not a header line: ${JSON.stringify(l)}`);
}

/** Check every snippet; returns the errors per snippet id (empty array = passes). */
export function checkSnippets(snippets: Snippet[]): Map<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-syntax-'));
  const res = new Map<string, string[]>();
  const by = (l: ConfigLanguage) => snippets.filter((s) => s.language === l);
  for (const [id, e] of checkPython(by('python'), dir)) res.set(id, e);
  if (by('java').length) for (const [id, e] of checkJava(by('java'), dir)) res.set(id, e);
  for (const s of snippets) {
    switch (s.language) {
      case 'python':
      case 'java':
        break;
      case 'javascript':
      case 'typescript':
        res.set(s.id, checkJsTs(s, dir));
        break;
      case 'nginx':
        res.set(s.id, checkNginx(s, dir));
        break;
      case 'apache':
        res.set(s.id, checkApache(s, dir));
        break;
      case 'caddyfile':
        res.set(s.id, checkCaddy(s, dir));
        break;
      case 'php':
        res.set(s.id, checkPhp(s, dir));
        break;
      case 'ruby':
        res.set(s.id, checkRuby(s, dir));
        break;
      case 'go':
        res.set(s.id, checkGo(s, dir));
        break;
      case 'csharp':
        res.set(s.id, checkCsharp(s));
        break;
      case 'json':
        res.set(s.id, checkJson(s));
        break;
      case 'http':
        res.set(s.id, checkHttp(s));
        break;
      default: {
        const never: never = s.language;
        throw new Error(`no checker for ${String(never)}`);
      }
    }
  }
  return res;
}
