// The processes the demo started (read from /proc), so it can prove none is left behind when it ends, and kill
// any that a browser's own shutdown missed (crash handlers get re-parented and outlive their browser).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  /** Clock ticks since boot at which it started: with the pid, tells a process apart from a later one reusing its pid. */
  start: number;
  comm: string;
  /** Command line, shortened. */
  cmd: string;
}

function stat(pid: number): { ppid: number; start: number; comm: string } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is parenthesised and may contain spaces: fields after the last ')' are fixed (proc(5)).
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    return { ppid: Number(f[1]), start: Number(f[19]), comm };
  } catch {
    return null;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
}

/** Every live descendant of `root` (default: this process). */
export function descendants(root = process.pid): ProcInfo[] {
  const children = new Map<number, number[]>();
  const stats = new Map<number, { ppid: number; start: number; comm: string }>();
  for (const pid of allPids()) {
    const s = stat(pid);
    if (!s) continue;
    stats.set(pid, s);
    const list = children.get(s.ppid) ?? [];
    list.push(pid);
    children.set(s.ppid, list);
  }
  const out: ProcInfo[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      const s = stats.get(c)!;
      out.push({ pid: c, start: s.start, comm: s.comm, cmd: cmdline(c).slice(0, 300) });
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Processes whose command line mentions `needle` (a profile directory): they belong to one browser run. */
export function processesMentioning(needle: string): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const pid of allPids()) {
    if (pid === process.pid) continue;
    const cmd = cmdline(pid);
    if (!cmd.includes(needle)) continue;
    const s = stat(pid);
    if (s) out.push({ pid, start: s.start, comm: s.comm, cmd: cmd.slice(0, 300) });
  }
  return out;
}

/** Those of `procs` still running (same pid and start time). */
export function stillAlive(procs: ProcInfo[]): ProcInfo[] {
  return procs.filter((p) => stat(p.pid)?.start === p.start);
}

export function killAll(procs: ProcInfo[], signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const p of stillAlive(procs)) {
    try {
      process.kill(p.pid, signal);
    } catch {}
  }
}
