// The run's one report, as an object (written as JSON) and as text: sessions accepted, lost (must be 0), live
// twice (must be 0), tasks stuck (must be 0), and per fault the failover time from the fault to the agent decoding
// frames again, with the fault's timeline.
import { distribution, failoverOf, framesOf, twiceSeenByAgent } from './analysis.mjs';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export function buildReport({ run, agents, watcher, thresholds }) {
  const accepted = agents.filter((a) => a.launch.accepted);
  const refused = agents.filter((a) => a.launch.attempts.length > 0 && !a.launch.accepted);
  const lastState = (taskId) => watcher?.tasks.get(taskId)?.current ?? null;

  const lost = [];
  for (const a of accepted) {
    const reasons = [];
    const seen = lastState(a.launch.taskId);
    const said = seen ? `task ${a.launch.taskId} ${seen.status}${seen.worker ? ` on ${seen.worker}` : ''}`
      + `${seen.attempts ? `, attempt ${seen.attempts}` : ''}${seen.error ? `: ${seen.error}` : ''}` : `task ${a.launch.taskId} never seen in /tasks`;
    const shown = a.publishers.some((p) => p.frames.some((f) => f >= (a.launch.acceptedAt ?? 0) - 5000));
    if (a.base && a.finalLive === false) reasons.push(`no frame in the last ${thresholds.goneMs / 1000} s of the run (${said})`);
    if (!a.base && !shown) reasons.push(`never live after /launch accepted it (${said})`);
    if (a.finalTask === null || !TERMINAL.has(a.finalTask?.status)) {
      reasons.push(`task ${a.launch.taskId} not terminal 30 s after the agent left (${a.finalTask?.status ?? 'unknown'})`);
    }
    if (reasons.length > 0) lost.push({ room: a.room, task: a.launch.taskId, reasons });
  }
  const acceptedIds = new Set(accepted.map((a) => a.launch.taskId));
  const stuck = [...(watcher?.tasks.values() ?? [])]
    .filter((t) => !acceptedIds.has(t.task_id) && t.current && !TERMINAL.has(t.current.status))
    .map((t) => ({ task: t.task_id, room: t.room, status: t.current.status, worker: t.current.worker,
      note: 'a task no accepted launch names (its launch was refused or its reply lost), still not terminal at the end' }));

  // why: live twice is judged with the failover's gap (frames stopped = no frame for gapMs), not with liveMs, the
  // steady waits' looser "live"; with liveMs (1.5 s) a killed worker's publisher replaced 1.47 s after its last frame,
  // already counted as an outage, was also counted live (clean-clone CI run of 2b57f18)
  const twiceAgents = agents.flatMap((a) => twiceSeenByAgent(a, { gapMs: thresholds.gapMs }));
  const twiceTasks = watcher?.twice ?? [];
  const twiceRooms = new Set([...twiceAgents, ...twiceTasks].map((e) => e.room));

  const faults = run.faults.map((f) => faultReport(f, agents, watcher, thresholds));
  const samples = faults.flatMap((f) => f.agents.filter((x) => x.kind === 'failover').map((x) => x.ms));
  const byKind = {};
  for (const f of faults) {
    byKind[f.kind] ??= [];
    byKind[f.kind].push(...f.agents.filter((x) => x.kind === 'failover').map((x) => x.ms));
  }
  const incomplete = Boolean(run.error || run.aborted || run.skipped.length > 0);
  const exitCode = lost.length > 0 || twiceRooms.size > 0 || stuck.length > 0 ? 1 : incomplete ? 2 : 0;
  return {
    profile: run.profile, settings: run.settings, code: run.code, started_at: run.startedAt, duration_s: round(run.durationMs / 1000),
    load_average: run.loads, thresholds,
    sessions: {
      accepted: accepted.length, refused: refused.length,
      at_start: accepted.filter((a) => a.base).length, in_faults: accepted.filter((a) => !a.base).length,
      refused_launches: refused.map((a) => ({ room: a.room, attempts: a.launch.attempts.map(attemptText) })),
    },
    lost, stuck,
    twice: { sessions: twiceRooms.size, seen_by_agents: twiceAgents, seen_in_tasks: twiceTasks },
    failover: { all: distribution(samples), by_fault: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, distribution(v)])) },
    faults, skipped: run.skipped, error: run.error ?? null, aborted: run.aborted ?? null,
    final: run.final ? { steady: run.final.steady, tasks_terminal_after_s: round(run.final.terminalAfterMs / 1000) } : null,
    verdict: { lost: lost.length, twice: twiceRooms.size, stuck: stuck.length, incomplete, exitCode },
    // why: every decoded frame is in the run's frames file; here each publisher's count and span
    agents: agents.map((a) => ({ ...a, publishers: a.publishers.map(({ frames, ...p }) => ({
      ...p, frames: frames.length, first_frame: frames[0] ?? null, last_frame: frames.at(-1) ?? null })) })),
  };
}

function faultReport(f, agents, watcher, t) {
  const leftAt = (a) => a.events.find((e) => e.type === 'leave')?.at ?? Infinity;
  const per = agents.filter((a) => a.launch.accepted && (a.launch.acceptedAt ?? Infinity) < f.t0 && leftAt(a) > f.t0)
    .map((a) => ({ room: a.room, ...failoverOf(framesOf(a), f.t0, f.tEnd, t) }));
  const rel = (at) => round((at - f.t0) / 1000);
  const timeline = [];
  for (const x of f.actions) timeline.push({ t: rel(x.at), what: x.what });
  for (const c of watcher?.changes(f.t0 - 2000, f.tEnd) ?? []) {
    timeline.push({ t: rel(c.at), what: `/tasks: ${c.room} task ${c.task_id} ${c.status}${c.worker ? ` on ${c.worker}` : ''}`
      + `${c.attempts ? ` (attempt ${c.attempts})` : ''}${c.error ? `: ${c.error}` : ''}${c.end_reason ? ` [${c.end_reason}]` : ''}` });
  }
  for (const a of agents) {
    for (const e of a.events) {
      if (e.at < f.t0 - 2000 || e.at > f.tEnd) continue;
      if (e.type === 'joined') timeline.push({ t: rel(e.at), what: `${a.room}: avatar ${e.sid} joined` });
      if (e.type === 'left') timeline.push({ t: rel(e.at), what: `${a.room}: avatar ${e.sid} left${e.reason ? ` (${e.reason})` : ''}` });
    }
    if (f.launches.includes(a.name)) {
      for (const x of a.launch.attempts) timeline.push({ t: rel(x.at), what: `${a.room}: POST ${x.api}/launch -> ${attemptText(x)}` });
      const first = a.publishers.flatMap((p) => p.frames).filter((at) => at >= (a.launch.firstPostAt ?? 0)).sort((x, y) => x - y)[0];
      if (first !== undefined) timeline.push({ t: rel(first), what: `${a.room}: first frame, ${round((first - a.launch.firstPostAt) / 1000)} s after its first POST` });
    }
  }
  for (const x of per) {
    if (x.stopAt !== undefined) timeline.push({ t: rel(x.stopAt), what: `${x.room}: last frame of ${x.from} before the gap` });
    if (x.backAt !== undefined) {
      timeline.push({ t: rel(x.backAt), what: `${x.room}: frames again from ${x.to} (${x.kind}: ${round(x.ms / 1000)} s after the fault,`
        + ` ${round(x.outageMs / 1000)} s without frames)` });
    }
  }
  timeline.sort((a, b) => a.t - b.t);
  const launches = agents.filter((a) => f.launches.includes(a.name)).map((a) => ({
    room: a.room, accepted: a.launch.accepted, task: a.launch.taskId, attempts: a.launch.attempts.map(attemptText),
  }));
  return {
    index: f.index, name: f.name, kind: f.kind, target: f.target, t0: round(f.t0 / 1000), observed_s: round((f.tEnd - f.t0) / 1000),
    steady_before: f.steadyBefore, agents: per,
    failover: distribution(per.filter((x) => x.kind === 'failover').map((x) => x.ms)),
    not_recovered: per.filter((x) => x.kind === 'not_recovered').map((x) => x.room),
    stalls: per.filter((x) => x.kind === 'stall').map((x) => ({ room: x.room, ms: x.ms })),
    launches, timeline,
  };
}

function attemptText(x) {
  if (!x.status) return `${x.error} (${x.ms} ms)`;
  let why = x.error ?? '';
  try {
    const e = JSON.parse(why);
    why = `${e.status ?? ''}: ${e.reason ?? e.error ?? ''}`;
  } catch { /* not JSON */ }
  return `${x.status}${x.taskId ? ` task ${x.taskId}` : ''}${why ? ` ${why.slice(0, 90)}` : ''} (${x.ms} ms)`;
}

const round = (v) => Math.round(v * 1000) / 1000;
const secs = (ms) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
const dist = (d) => (d.n === 0 ? 'no failover' : `n=${d.n}  p50 ${secs(d.p50)}  p95 ${secs(d.p95)}  max ${secs(d.max)}`);

export function renderText(r) {
  const L = [];
  const loads = r.load_average.map((l) => l.load.split(' ')[0]);
  L.push(`ops/chaos report: profile ${r.profile}, ${r.settings.sessions} sessions, 3 workers, 2 API nodes; code ${r.code}; `
    + `${r.started_at}, ${r.duration_s.toFixed(0)} s; 1-min load average ${Math.min(...loads)}..${Math.max(...loads)} on this host`);
  L.push('');
  L.push(`sessions accepted (2xx from /launch): ${r.sessions.accepted} (${r.sessions.at_start} at start, ${r.sessions.in_faults} launched during faults); refused after 3 attempts: ${r.sessions.refused}`);
  for (const x of r.sessions.refused_launches) L.push(`  refused ${x.room}: ${x.attempts.join('; ')}`);
  L.push(`LOST (accepted, never live again or never terminal; must be 0): ${r.lost.length}`);
  for (const x of r.lost) L.push(`  ${x.room} task ${x.task}: ${x.reasons.join('; ')}`);
  L.push(`LIVE TWICE (two publishers for one session at one instant; must be 0): ${r.twice.sessions}`);
  for (const e of r.twice.seen_by_agents) L.push(`  agent ${e.room} at ${secs(e.at)}: ${e.kind}: ${e.detail}`);
  for (const e of r.twice.seen_in_tasks) L.push(`  /tasks ${e.room} at ${secs(e.at)}: ${e.kind} (${e.tasks.join(', ')})`);
  L.push(`STUCK tasks no accepted launch names, not terminal at the end (must be 0): ${r.stuck.length}`);
  for (const x of r.stuck) L.push(`  ${x.room} task ${x.task}: ${x.status}${x.worker ? ` on ${x.worker}` : ''}`);
  L.push('');
  L.push(`failover, fault -> the agent decoding frames again from the new publisher: ${dist(r.failover.all)}`);
  for (const [k, d] of Object.entries(r.failover.by_fault)) L.push(`  ${k.padEnd(48)} ${dist(d)}`);
  for (const f of r.faults) {
    L.push('');
    L.push(`fault ${f.index}: ${f.kind} (${f.target}) at ${f.t0.toFixed(1)} s, observed ${f.observed_s.toFixed(1)} s`
      + `${f.steady_before.ok ? '' : `; NOT steady before it: ${f.steady_before.missing.join(', ')}`}`);
    const parts = f.agents.map((x) => `${x.room} ${x.kind}${x.kind === 'failover' ? ` ${secs(x.ms)} (no frames ${secs(x.outageMs)})`
      : x.kind === 'stall' ? ` of ${secs(x.outageMs)}` : ''}`);
    L.push(`  sessions: ${parts.join(', ') || '-'}`);
    L.push(`  failover: ${dist(f.failover)}${f.not_recovered.length ? `; not recovered: ${f.not_recovered.join(' ')}` : ''}`);
    for (const x of f.launches) L.push(`  launch ${x.room}: ${x.accepted ? `accepted (task ${x.task})` : 'refused'}: ${x.attempts.join('; ')}`);
    for (const e of f.timeline) L.push(`    ${e.t >= 0 ? '+' : ''}${e.t.toFixed(3)} s  ${e.what}`);
  }
  if (r.skipped.length) L.push('', `NOT RUN (out of time): ${r.skipped.join(', ')}`);
  if (r.error) L.push('', `RUN FAILED: ${r.error.split('\n')[0]}`);
  if (r.aborted) L.push('', `STOPPED EARLY: ${r.aborted}`);
  L.push('');
  L.push(`verdict: lost ${r.verdict.lost}, twice ${r.verdict.twice}, stuck ${r.verdict.stuck}${r.verdict.incomplete ? ', run INCOMPLETE' : ''}`
    + ` -> exit ${r.verdict.exitCode}`);
  return L.join('\n') + '\n';
}
