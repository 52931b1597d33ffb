// ops/chaos's orchestrator (ops/chaos/run starts it inside the run's network namespace, on a stack that has Kafka,
// redis-server, the dev room server and two API nodes up). It adds three workers, each reaching Redis through its
// own cuttable pipe (lib/redis-cut.mjs), starts N agents (lib/agent.mjs) that launch their avatars through the two
// API nodes, injects the profile's faults one after the other (lib/faults.mjs), has every agent leave, stops the
// stack, and writes the report (lib/report.mjs). Exit: 0 all kept, 1 a session lost or live twice (or a task
// stuck), 2 the run itself could not be completed (stack, time bound).
//   node ops/chaos/chaos.mjs --data DIR --host ADDR --image JPEG --report FILE [--profile short|full]
//                            [--seconds N] [--sessions N]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChaosAgent, disposeSdk } from './lib/agent.mjs';
import { RedisCut } from './lib/redis-cut.mjs';
import { Stack, getJson, sleep } from './lib/stack.mjs';
import { FleetWatcher } from './lib/watcher.mjs';
import { FAULTS } from './lib/faults.mjs';
import { buildReport, renderText } from './lib/report.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// why: every bound of a run in one place; the short profile is what CI runs (ops/test), the full one gives the
// failover distribution (ops/chaos/README.md)
const PROFILES = {
  short: {
    sessions: 3, seconds: 420, workerKills: 1, burst: 3, outageLaunches: 2, cutMs: 16000, brokerDownMs: 4000,
    settleMs: 10000, faultTimeoutMs: 45000, steadyTimeoutMs: 75000, drainWaitMs: 45000,
  },
  full: {
    sessions: 4, seconds: 1800, workerKills: 10, burst: 6, outageLaunches: 2, cutMs: 30000, brokerDownMs: 6000,
    settleMs: 15000, faultTimeoutMs: 60000, steadyTimeoutMs: 90000, drainWaitMs: 60000,
  },
};
const GAP_MS = 1000; // frames stopped: no frame for this long (25 fps = 40 ms apart)
const STABLE_MS = 3000; // frames back: a run without such a gap for this long
const LIVE_MS = 1500; // live: a frame decoded within this
// why: gone (lost at the end, or not waited for after a fault): no frame for this long; a CPU stall on a busy
// host can stop frames for a second or two without anything being lost
const GONE_MS = 10000;
const CUT_PORT_BASE = 16380; // worker-k reaches Redis through HOST:CUT_PORT_BASE+k

function options(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]?.replace(/^--/, '');
    if (!['data', 'host', 'image', 'report', 'profile', 'seconds', 'sessions'].includes(k) || argv[i + 1] === undefined) {
      throw new Error(`unknown or incomplete option ${argv[i]}`);
    }
    o[k] = argv[i + 1];
  }
  for (const k of ['data', 'host', 'image', 'report']) if (!o[k]) throw new Error(`--${k} is required`);
  const profile = PROFILES[o.profile ?? 'short'];
  if (!profile) throw new Error(`--profile must be short or full, not ${o.profile}`);
  const num = (v, name, min, max) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number in ${min}..${max}`);
    return n;
  };
  return {
    ...o, profileName: o.profile ?? 'short',
    profile: {
      ...profile,
      seconds: o.seconds ? num(o.seconds, 'seconds', 60, 7200) : profile.seconds,
      sessions: o.sessions ? num(o.sessions, 'sessions', 1, 16) : profile.sessions,
    },
  };
}

const opts = options(process.argv.slice(2));
const started = Date.now();
const clock = () => Date.now() - started;
const log = (msg) => process.stderr.write(`chaos [${(clock() / 1000).toFixed(1)}s] ${msg}\n`);
const stack = new Stack({ root: ROOT, data: opts.data });
const profile = opts.profile;
const deadline = profile.seconds * 1000;
const agents = []; // every agent of the run: the base sessions first, then the bursts
const cuts = new Map();
let aborted = null;
let watcher = null;
let speaker = null;

const ctx = {
  stack, clock, log, profile, cuts, hits: new Map(), agents, down: new Set(),
  get watcher() { return watcher; },
  /** A pause that a Ctrl-C ends early. */
  async sleep(ms) {
    const until = clock() + ms;
    while (clock() < until && !aborted) await sleep(Math.min(250, until - clock()));
  },
  apis: [],
  livekitUrl: null,
  image: readFileSync(opts.image),

  async newAgents(prefix, n) {
    const made = [];
    for (let i = 1; i <= n; i++) {
      const a = new ChaosAgent({
        name: `${prefix}-${i}`, room: `chaos-${prefix}-${i}`, livekitUrl: ctx.livekitUrl, apis: ctx.apis,
        firstApi: agents.length % ctx.apis.length, key: ctx.key, secret: ctx.secret, image: ctx.image, clock,
      });
      a.base = prefix === 'session';
      agents.push(a);
      made.push(a);
    }
    await Promise.all(made.map((a) => a.join()));
    return made;
  },

  /** Base agents that should be live now: accepted, not left, and not given up by an earlier fault. */
  expected() {
    return agents.filter((a) => a.base && a.launch.accepted && !a.left && !a.givenUp);
  },

  async workerReady(worker) {
    const until = clock() + profile.steadyTimeoutMs;
    while (clock() < until && !aborted) {
      if (await isReady(worker)) return true;
      await sleep(500);
    }
    return false;
  },

  /** Waits until the whole fleet is up (workers ready, API nodes healthy) and every expected agent has been live
   *  for STABLE_MS; bounded by the profile's steady timeout. Returns {ok, ms, missing}. */
  async steady(label) {
    const from = clock();
    let since = null;
    let missing = [];
    while (clock() - from < profile.steadyTimeoutMs && !aborted) {
      missing = [];
      for (const w of stack.workers().filter((x) => !ctx.down.has(x))) {
        if (!(await isReady(w))) missing.push(`${w} not ready`);
      }
      for (const api of ctx.apis) {
        if ((await getJson(`${api}/health`)).status !== 200) missing.push(`${api} down`);
      }
      for (const a of ctx.expected()) if (!a.live(LIVE_MS)) missing.push(`${a.o.room} not live`);
      if (missing.length === 0) {
        since ??= clock();
        if (clock() - since >= STABLE_MS) return { ok: true, ms: clock() - from, missing };
      } else {
        since = null;
      }
      await sleep(250);
    }
    log(`${label}: fleet NOT steady after ${((clock() - from) / 1000).toFixed(0)} s: ${missing.join(', ')}`);
    return { ok: false, ms: clock() - from, missing };
  },

  /** Watches a fault from f.t0: at least minMs, then until every expected agent (and every accepted agent of the
   *  fault's own launches, which have had their answers) is live and stable, at most the fault timeout past minMs. Agents still not live are given
   *  up for the next faults (the final check looks at them again). */
  async observe(f, { minMs, burst = [] }) {
    const until = f.t0 + minMs + profile.faultTimeoutMs;
    let since = null;
    while (clock() < until && !aborted) {
      const waiting = [...ctx.expected(), ...burst.filter((a) => a.launch.accepted)].filter((a) => !a.live(LIVE_MS));
      if (waiting.length === 0) {
        since ??= clock();
        if (clock() - f.t0 >= minMs && clock() - since >= STABLE_MS) break;
      } else {
        since = null;
      }
      await sleep(250);
    }
    f.tEnd = clock();
    for (const a of ctx.expected()) {
      if (!a.live(GONE_MS)) {
        a.givenUp = true;
        f.actions.push({ at: f.tEnd, what: `${a.o.room}: no frames at the end of the observation; not waited for again` });
      }
    }
  },

  /** Fault launches (bursts) leave once they have been live for STABLE_MS; those that never showed their avatar
   *  (the fault's observation already waited for them) leave now. */
  async leaveWhenShown(list) {
    const until = clock() + profile.faultTimeoutMs;
    const showing = list.filter((a) => a.launch.accepted && a.lastFrameAt !== null);
    while (clock() < until && !aborted) {
      if (showing.every((a) => shownFor(a, STABLE_MS))) break;
      await sleep(250);
    }
    await Promise.all(list.map((a) => a.leave()));
  },
};

/** A worker that can take sessions: model loaded, not draining (a full one answers 503 at_capacity). */
async function isReady(worker) {
  const r = await getJson(`${stack.url(worker)}/ready`);
  return r.body?.model_ready === true && (r.status === 200 || r.body?.status === 'at_capacity');
}

function codeUnderTest() {
  try {
    const head = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function shownFor(agent, ms) {
  return agent.publishers.size > 0 && [...agent.publishers.values()].some((p) => p.frames.length > 0
    && p.frames.at(-1) - p.frames[0] >= ms);
}

const notReady = (w) => (aborted ? `interrupted (${aborted}) while ${w} started`
  : `${w} did not become ready within ${profile.steadyTimeoutMs / 1000} s (its log: logs/${w}.log)`);

async function startWorkers() {
  const host = opts.host;
  const redisPort = Number(new URL(JSON.parse(await stack.must(['status'])).redis.url).port);
  for (let k = 1; k <= 3; k++) {
    const cut = await new RedisCut({ host, port: CUT_PORT_BASE + k, upstreamHost: host, upstreamPort: redisPort }).listen();
    cuts.set(`worker-${k}`, cut);
    // why: room for every session plus a burst on one worker, so a refusal is the fleet's choice, not the profile's
    const out = await stack.must(['add-worker', '--max-sessions', String(profile.sessions + profile.burst), '--redis-url', cut.url]);
    log(`started ${out.split('\n').at(-1)} (Redis through ${cut.url})`);
    // why: the first worker writes the model into the empty MODEL_DIR; the others must find it complete
    if (k === 1 && !(await ctx.workerReady('worker-1'))) throw new Error(notReady('worker-1'));
  }
  for (const w of ['worker-2', 'worker-3']) {
    if (!(await ctx.workerReady(w))) throw new Error(notReady(w));
  }
}

function startSpeaking() {
  let i = 0;
  const timer = setInterval(() => {
    const live = ctx.expected().filter((a) => a.live(LIVE_MS));
    if (live.length > 0) live[i++ % live.length].speak(2).catch(() => {});
  }, 4000);
  return () => clearInterval(timer);
}

function faultPlan() {
  return [...Array(profile.workerKills).fill('kill-worker'), 'kill-api', 'kill-redis', 'restart-broker', 'cut-worker', 'drain-worker'];
}

async function finalCheck() {
  const s = await ctx.steady('final');
  const end = clock();
  const live = new Map(agents.map((a) => [a.o.name, a.left ? null : a.live(GONE_MS)]));
  log(`final: ${[...live.values()].filter((v) => v === true).length} of ${ctx.expected().length + agents.filter((a) => a.givenUp).length} staying sessions live`);
  speaker?.();
  await Promise.all(agents.map((a) => a.leave()));
  const leftAt = clock();
  // every accepted task must end once its agent has left
  const accepted = agents.filter((a) => a.launch.accepted);
  let open = [];
  while (clock() - leftAt < 30000 && !aborted) {
    open = [];
    for (const a of accepted) {
      const r = await getJson(`${ctx.apis[0]}/tasks/${a.launch.taskId}`);
      const t = r.status === 200 ? r.body : (await getJson(`${ctx.apis[1]}/tasks/${a.launch.taskId}`)).body;
      a.finalTask = typeof t === 'object' ? t : null;
      if (!a.finalTask || !['completed', 'failed', 'cancelled'].includes(a.finalTask.status)) open.push(a);
    }
    if (open.length === 0) break;
    await sleep(1000);
  }
  await watcher.poll().catch(() => {});
  return { steady: s, end, live, leftAt, terminalAfterMs: clock() - leftAt };
}

async function main() {
  const status = JSON.parse(await stack.must(['status']));
  ctx.livekitUrl = status.livekit_url;
  ctx.key = status.livekit_api_key;
  ctx.secret = status.livekit_api_secret;
  ctx.apis = status.apis.map((a) => a.url);
  if (ctx.apis.length !== 2) throw new Error(`expected two API nodes, the stack has ${ctx.apis.length}`);
  const run = { profile: opts.profileName, settings: profile, faults: [], skipped: [], code: codeUnderTest(),
    startedAt: new Date(started).toISOString() };
  const loads = [];
  const sampleLoad = () => loads.push({ at: clock(), load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') });
  sampleLoad();
  const loadTimer = setInterval(sampleLoad, 15000);
  try {
    await startWorkers();
    watcher = new FleetWatcher({ stack, apis: () => ctx.apis, clock });
    watcher.start();
    log(`three workers ready; ${profile.sessions} agents join and launch their avatars`);
    const base = await ctx.newAgents('session', profile.sessions);
    await Promise.all(base.map((a) => a.launchAvatar()));
    speaker = startSpeaking();
    for (const [i, name] of faultPlan().entries()) {
      const s = await ctx.steady(`before fault ${i + 1}`);
      if (aborted) break;
      // why: a fault needs about its timeout; past the run's bound the rest is skipped and the run is incomplete
      if (clock() + profile.faultTimeoutMs + 30000 > deadline) {
        run.skipped.push(...faultPlan().slice(i));
        log(`out of time (--seconds ${profile.seconds}): skipping ${faultPlan().slice(i).join(', ')}`);
        break;
      }
      log(`fault ${i + 1}: ${name}`);
      ctx.lastFault = i === faultPlan().length - 1;
      const f = await FAULTS[name](ctx);
      f.index = i + 1;
      f.name = name;
      f.steadyBefore = s;
      run.faults.push(f);
      log(`fault ${i + 1} (${f.kind} ${f.target}) observed for ${((f.tEnd - f.t0) / 1000).toFixed(1)} s`);
    }
    run.final = await finalCheck();
  } catch (e) {
    run.error = String(e?.stack ?? e);
    log(`run failed: ${run.error}`);
  } finally {
    clearInterval(loadTimer);
    sampleLoad();
    speaker?.();
    await Promise.all(agents.map((a) => a.leave()));
    await watcher?.stop();
  }
  run.aborted = aborted;
  run.loads = loads;
  run.durationMs = clock();
  const records = agents.map((a) => ({ ...a.record(), base: a.base, givenUp: Boolean(a.givenUp),
    finalLive: run.final?.live.get(a.o.name) ?? null, finalTask: a.finalTask ?? null }));
  const report = buildReport({ run, agents: records, watcher, thresholds: { gapMs: GAP_MS, stableMs: STABLE_MS, liveMs: LIVE_MS, goneMs: GONE_MS } });
  mkdirSync(path.dirname(opts.report), { recursive: true });
  writeFileSync(`${opts.report}.json`, JSON.stringify(report, null, 1));
  // every frame each agent decoded: room, publisher identity and sid, and the times (ms of the run's clock)
  writeFileSync(`${opts.report}.frames.jsonl`, records.flatMap((a) => a.publishers.map((p) => JSON.stringify(
    { room: a.room, identity: p.identity, sid: p.sid, frames: p.frames }))).join('\n') + '\n');
  writeFileSync(opts.report, renderText(report));
  // why: stop the workers while their Redis pipes still exist (a worker's drain talks to Redis)
  log('stopping the stack');
  const down = await stack.cmd(['down'], 120000);
  if (down.code !== 0) log(`ops/stack down exited ${down.code}`);
  await Promise.all([...cuts.values()].map((c) => c.close()));
  await disposeSdk().catch(() => {});
  return report.verdict.exitCode;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (aborted) return;
    aborted = sig;
    log(`${sig}: stopping the run (report of what ran so far, then the stack goes down)`);
    for (const c of cuts.values()) c.heal();
  });
}
// why: the run is bounded whatever happens inside it; past the bound the report is written with what there is
setTimeout(() => { if (!aborted) { aborted = 'time'; log(`past --seconds ${profile.seconds} + 90: stopping`); } },
  (profile.seconds + 90) * 1000).unref();

main().then((code) => process.exit(code), (e) => {
  log(`failed: ${e?.stack ?? e}`);
  process.exit(2);
});
