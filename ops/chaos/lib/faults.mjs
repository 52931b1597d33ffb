// The faults ops/chaos injects, one after the other, each once the fleet is steady. Each returns what happened to
// it: {kind, target, t0 (the instant of the kill/cut/signal, run clock), tEnd (end of its observation), actions,
// launches (agents started for it)}. The observation itself (who failed over, how long) is lib/analysis.mjs's job.
import { sleep } from './stack.mjs';

/** The worker that runs the most sessions now (by /tasks), ties to the one hit least so far. */
function busiestWorker(ctx) {
  const by = ctx.watcher.runningBy();
  const live = ctx.stack.workers().filter((w) => ctx.stack.pid(w) !== null);
  const hits = ctx.hits;
  live.sort((a, b) => (by.get(b)?.length ?? 0) - (by.get(a)?.length ?? 0) || (hits.get(a) ?? 0) - (hits.get(b) ?? 0));
  const target = live[0];
  hits.set(target, (hits.get(target) ?? 0) + 1);
  return { target, rooms: (by.get(target) ?? []).map((t) => t.room) };
}

/** Starts PART again (ops/stack restart), as a supervisor would; the last fault of a run leaves it down. */
async function restart(ctx, f, part) {
  if (ctx.lastFault) {
    ctx.down.add(part);
    f.actions.push({ at: ctx.clock(), what: `${part} not started again (the last fault of the run)` });
    return;
  }
  f.actions.push({ at: ctx.clock(), what: `ops/stack restart ${part}` });
  const r = await ctx.stack.cmd(['restart', part]);
  if (r.code !== 0) {
    f.actions.push({ at: ctx.clock(), what: `ops/stack restart ${part} FAILED (exit ${r.code}): ${r.out.split('\n').at(-1)}` });
  } else if (part.startsWith('worker-')) {
    const ready = await ctx.workerReady(part);
    f.actions.push({ at: ctx.clock(), what: ready ? `${part} ready again` : `${part} NOT ready within the steady bound` });
  } else {
    f.actions.push({ at: ctx.clock(), what: `${part} answers again` });
  }
}

export async function killWorker(ctx) {
  const { target, rooms } = busiestWorker(ctx);
  const f = { kind: 'kill -9 worker', target, actions: [], launches: [] };
  f.t0 = ctx.clock();
  const pid = ctx.stack.signal(target, 'SIGKILL');
  f.actions.push({ at: f.t0, what: `kill -9 ${target} (pid ${pid}), running ${rooms.length} session(s): ${rooms.join(' ') || '-'}` });
  await ctx.observe(f, { minMs: 2000 });
  await restart(ctx, f, target);
  return f;
}

export async function killApiDuringBurst(ctx) {
  const target = 'api-2';
  const f = { kind: 'kill -9 API node during a burst of launches', target, actions: [], launches: [] };
  const agents = await ctx.newAgents('burst', ctx.profile.burst);
  const launches = agents.map((a) => a.launchAvatar());
  // why: kill while the burst's requests to this node are in flight (half of the first attempts go to it)
  await sleep(30);
  f.t0 = ctx.clock();
  const pid = ctx.stack.signal(target, 'SIGKILL');
  f.actions.push({ at: f.t0, what: `kill -9 ${target} (pid ${pid}) ${f.t0 - agents[0].launch.firstPostAt} ms after the burst's first POST` });
  f.launches = agents.map((a) => a.o.name);
  await Promise.all(launches);
  await ctx.observe(f, { minMs: 2000, burst: agents });
  // why: the node starts again while the burst's sessions play out (a JVM start is slow on a busy host)
  await Promise.all([restart(ctx, f, target), ctx.leaveWhenShown(agents)]);
  return f;
}

export async function killRedis(ctx) {
  const f = { kind: 'kill -9 redis-server, restart (AOF)', target: 'redis', actions: [], launches: [] };
  f.t0 = ctx.clock();
  const pid = ctx.stack.signal('redis', 'SIGKILL');
  f.actions.push({ at: f.t0, what: `kill -9 redis-server (pid ${pid})` });
  await ctx.stack.waitGone(pid, 5000);
  const r = await ctx.stack.cmd(['restart', 'redis']);
  f.actions.push({ at: ctx.clock(), what: r.code === 0 ? 'redis-server started again on its append-only file'
    : `ops/stack restart redis FAILED (exit ${r.code}): ${r.out.split('\n').at(-1)}` });
  // why: the fleet may drop sessions a while after Redis is back (a worker that finds its claims gone): keep watching
  await ctx.observe(f, { minMs: ctx.profile.settleMs });
  return f;
}

export async function restartBroker(ctx) {
  const f = { kind: 'broker restart (launches while it is down)', target: 'kafka', actions: [], launches: [] };
  f.t0 = ctx.clock();
  const pid = ctx.stack.signal('kafka', 'SIGTERM');
  f.actions.push({ at: f.t0, what: `SIGTERM kafka (pid ${pid})` });
  await ctx.stack.waitGone(pid, 30000);
  f.actions.push({ at: ctx.clock(), what: 'kafka stopped' });
  const agents = await ctx.newAgents('outage', ctx.profile.outageLaunches);
  f.launches = agents.map((a) => a.o.name);
  const launches = agents.map((a) => a.launchAvatar());
  await ctx.sleep(ctx.profile.brokerDownMs);
  f.actions.push({ at: ctx.clock(), what: 'ops/stack restart kafka' });
  const r = await ctx.stack.cmd(['restart', 'kafka']);
  f.actions.push({ at: ctx.clock(), what: r.code === 0 ? 'kafka answers again'
    : `ops/stack restart kafka FAILED (exit ${r.code}): ${r.out.split('\n').at(-1)}` });
  await Promise.all(launches);
  await ctx.observe(f, { minMs: ctx.clock() - f.t0 + ctx.profile.settleMs, burst: agents });
  await ctx.leaveWhenShown(agents);
  return f;
}

export async function cutWorkerFromRedis(ctx) {
  const { target, rooms } = busiestWorker(ctx);
  const f = { kind: 'worker cut from Redis (LiveKit link kept)', target, actions: [], launches: [] };
  const cut = ctx.cuts.get(target);
  f.t0 = ctx.clock();
  cut.blackhole();
  f.actions.push({ at: f.t0, what: `blackhole ${target}'s Redis link (${cut.url}) for ${ctx.profile.cutMs / 1000} s, running ${rooms.length} session(s): ${rooms.join(' ') || '-'}` });
  await ctx.sleep(ctx.profile.cutMs);
  cut.heal();
  f.actions.push({ at: ctx.clock(), what: `${target}'s Redis link healed` });
  await ctx.observe(f, { minMs: ctx.profile.cutMs + ctx.profile.settleMs });
  return f;
}

export async function drainWorker(ctx) {
  const { target, rooms } = busiestWorker(ctx);
  const f = { kind: 'SIGTERM drain of a worker', target, actions: [], launches: [] };
  f.t0 = ctx.clock();
  const pid = ctx.stack.signal(target, 'SIGTERM');
  f.actions.push({ at: f.t0, what: `SIGTERM ${target} (pid ${pid}), running ${rooms.length} session(s): ${rooms.join(' ') || '-'}` });
  // why: a draining worker's sessions play on until it hands them over or ends them: watch until it has exited
  const gone = await ctx.stack.waitGone(pid, ctx.profile.drainWaitMs);
  f.actions.push({ at: ctx.clock(), what: gone ? `${target} exited` : `${target} still runs ${ctx.profile.drainWaitMs / 1000} s after SIGTERM` });
  await ctx.observe(f, { minMs: ctx.clock() - f.t0 + ctx.profile.settleMs });
  await restart(ctx, f, target);
  return f;
}

export const FAULTS = {
  'kill-worker': killWorker,
  'kill-api': killApiDuringBurst,
  'kill-redis': killRedis,
  'restart-broker': restartBroker,
  'cut-worker': cutWorkerFromRedis,
  'drain-worker': drainWorker,
};
