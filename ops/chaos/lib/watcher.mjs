// The fleet's own view, polled twice a second: GET /tasks from an API node that answers, and each worker's
// GET /health (its active_sessions). It keeps every task's history (status, worker, attempts) for the timelines and
// finds, from this view alone, a session live twice:
//   - two tasks of one room running at the same poll (a second avatar for one agent), and
//   - a zombie: a worker that runs more sessions than /tasks gives it while a task it ran (with no restart of that
//     worker since) is now running on another worker, on two polls in a row (the task moved, the old session did
//     not stop).
import { getJson } from './stack.mjs';

const ACTIVE = new Set(['pending', 'running']);

export class FleetWatcher {
  /** @param {{stack: import('./stack.mjs').Stack, apis: () => string[], clock: () => number, periodMs?: number}} o */
  constructor(o) {
    this.o = o;
    this.tasks = new Map(); // task_id -> {room, history: [{at, status, worker, attempts, error, end_reason}]}
    this.health = new Map(); // worker id -> last {at, up, active, draining}
    this.lastDown = new Map(); // worker id -> last poll its /health did not answer (killed, restarting)
    this.twice = []; // {at, kind, room, tasks, worker}
    this.unreachable = []; // {at, api}: polls no API node answered
    this.suspects = new Map(); // `${worker}|${task}` -> consecutive polls
    this.reported = new Set();
    this.polls = 0;
    this.running = false;
  }

  start() {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        await this.poll().catch(() => {});
        await new Promise((r) => setTimeout(r, Math.max(0, (this.o.periodMs ?? 500) - (Date.now() - started))));
      }
    })();
  }

  async stop() {
    this.running = false;
    await this.loop;
  }

  async #fetchTasks() {
    for (const api of this.o.apis()) {
      const r = await getJson(`${api}/tasks`, 2000);
      if (r.status === 200 && Array.isArray(r.body?.tasks)) return r.body.tasks;
    }
    return null;
  }

  async poll() {
    const at = this.o.clock();
    const workers = this.o.stack.workers();
    const [list, ...healths] = await Promise.all([
      this.#fetchTasks(),
      ...workers.map((w) => this.o.stack.url(w) ? getJson(`${this.o.stack.url(w)}/health`, 1000) : { status: 0 }),
    ]);
    this.polls++;
    workers.forEach((w, i) => {
      const h = healths[i];
      this.health.set(w, { at, up: h.status === 200, active: h.body?.active_sessions ?? null, draining: h.body?.draining ?? null });
      if (h.status !== 200) this.lastDown.set(w, at);
    });
    if (list === null) {
      this.unreachable.push({ at });
      return;
    }
    for (const t of list) this.#observe(at, t);
    this.#twoInOneRoom(at, list);
    this.#zombies(at, list, workers);
  }

  #observe(at, t) {
    let rec = this.tasks.get(t.task_id);
    if (!rec) {
      rec = { task_id: t.task_id, room: t.room_name, history: [] };
      this.tasks.set(t.task_id, rec);
    }
    const last = rec.history.at(-1);
    const now = { at, status: t.status, worker: t.worker_id ?? null, attempts: t.attempts ?? null,
      error: t.error ?? null, end_reason: t.end_reason ?? null };
    if (!last || last.status !== now.status || last.worker !== now.worker || last.attempts !== now.attempts
        || last.error !== now.error) {
      rec.history.push(now);
    }
    rec.current = now;
  }

  #twoInOneRoom(at, list) {
    const byRoom = new Map();
    for (const t of list) {
      if (t.status !== 'running') continue;
      byRoom.set(t.room_name, [...(byRoom.get(t.room_name) ?? []), t.task_id]);
    }
    for (const [room, ids] of byRoom) {
      const key = `room|${room}|${ids.sort().join(',')}`;
      if (ids.length > 1 && !this.reported.has(key)) {
        this.reported.add(key);
        this.twice.push({ at, kind: 'two tasks of one room running', room, tasks: ids });
      }
    }
  }

  #zombies(at, list, workers) {
    const seen = new Set();
    for (const w of workers) {
      const h = this.health.get(w);
      if (!h?.up || h.active === null) continue;
      const assigned = list.filter((t) => t.worker_id === w && ACTIVE.has(t.status)).length;
      if (h.active <= assigned) continue;
      // tasks this worker ran that now run on another worker
      for (const t of list) {
        if (t.status !== 'running' || !t.worker_id || t.worker_id === w) continue;
        // why: only a session of this worker's present process can be a zombie; one it ran before it was killed
        // or restarted is gone with that process
        const ranHere = this.tasks.get(t.task_id)?.history.findLast((s) => s.worker === w && s.status === 'running');
        if (!ranHere || ranHere.at <= (this.lastDown.get(w) ?? -1)) continue;
        const key = `${w}|${t.task_id}`;
        seen.add(key);
        const n = (this.suspects.get(key) ?? 0) + 1;
        this.suspects.set(key, n);
        if (n === 2 && !this.reported.has(key)) {
          this.reported.add(key);
          this.twice.push({ at, kind: `zombie: ${w} still runs ${h.active} session(s) (/tasks gives it ${assigned}) `
            + `while the task moved to ${t.worker_id}`, room: t.room_name, tasks: [t.task_id], worker: w });
        }
      }
    }
    for (const key of this.suspects.keys()) if (!seen.has(key)) this.suspects.delete(key);
  }

  /** Running tasks per worker at the last poll. */
  runningBy() {
    const by = new Map();
    for (const rec of this.tasks.values()) {
      if (rec.current?.status === 'running' && rec.current.worker) {
        by.set(rec.current.worker, [...(by.get(rec.current.worker) ?? []), rec]);
      }
    }
    return by;
  }

  /** Task history changes between two instants, for a fault's timeline. */
  changes(from, to) {
    const out = [];
    for (const rec of this.tasks.values()) {
      for (const s of rec.history) {
        if (s.at >= from && s.at <= to) out.push({ ...s, task_id: rec.task_id, room: rec.room });
      }
    }
    return out.sort((a, b) => a.at - b.at);
  }
}
