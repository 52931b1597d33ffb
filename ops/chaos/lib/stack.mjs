// The local stack as ops/chaos drives it: ops/stack commands on the run's data folder, the pid of each part (read
// from the stack's run/ folder and checked to be a process of this stack), signals, and small HTTP reads.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

export class Stack {
  /** @param {{root: string, data: string}} o */
  constructor(o) {
    this.o = o;
  }

  /** Runs `ops/stack SUBCOMMAND ARGS --data DIR`; resolves {code, out} (stdout and stderr together). */
  cmd(args, timeoutMs = 240000) {
    return new Promise((resolve) => {
      const child = spawn(path.join(this.o.root, 'ops/stack'), [...args, '--data', this.o.data],
        { cwd: this.o.root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b) => { out += b; });
      child.stderr.on('data', (b) => { out += b; });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out: out.trim() });
      });
    });
  }

  async must(args, timeoutMs) {
    const r = await this.cmd(args, timeoutMs);
    if (r.code !== 0) throw new Error(`ops/stack ${args.join(' ')} exited ${r.code}: ${r.out.split('\n').slice(-6).join(' | ')}`);
    return r.out;
  }

  /** The pid of PART while it runs in this stack's data folder (pids are reused), else null. */
  pid(part) {
    let pid;
    try {
      pid = Number(readFileSync(path.join(this.o.data, 'run', `${part}.pid`), 'utf8').trim());
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (!(cwd + '/').startsWith(this.o.data + '/')) return null;
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) return null;
    } catch {
      return null;
    }
    return pid;
  }

  url(part) {
    try {
      return readFileSync(path.join(this.o.data, 'run', `${part}.url`), 'utf8').trim();
    } catch {
      return null;
    }
  }

  /** Worker ids with a pid file (running or killed and not restarted yet). */
  workers() {
    return readdirSync(path.join(this.o.data, 'run')).map((f) => /^(worker-\d+)\.pid$/.exec(f)?.[1]).filter(Boolean)
      .sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)));
  }

  /** Sends SIGNAL to PART's process group (each part is a session leader: setsid). Returns the pid or null. */
  signal(part, signal) {
    const pid = this.pid(part);
    if (pid === null) return null;
    try {
      process.kill(-pid, signal);
    } catch {
      process.kill(pid, signal);
    }
    return pid;
  }

  async waitGone(pid, timeoutMs) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      try {
        if (/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) return true;
      } catch {
        return true;
      }
      await sleep(100);
    }
    return false;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** GET URL as JSON: {status, body} ({status: 0} when it does not answer within timeoutMs). */
export async function getJson(url, timeoutMs = 1500) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await r.text();
    let body = null;
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: r.status, body };
  } catch (e) {
    return { status: 0, body: String(e?.cause?.code ?? e?.name ?? e) };
  }
}
