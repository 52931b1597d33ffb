// node --test ops/chaos/test/: the report's verdict on a run whose answer is known.
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../lib/report.mjs';

const run = (from, to, step = 40) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
const THRESHOLDS = { gapMs: 1000, stableMs: 3000, liveMs: 1500, goneMs: 10000 };

function agentThroughAKill({ replacedAfterMs }) {
  const t0 = 25600;
  return {
    t0,
    agent: {
      name: 'session-1', room: 'chaos-session-1', identity: 'agent-chaos-session-1', base: true, givenUp: false,
      finalLive: true, finalTask: { status: 'completed' },
      launch: { accepted: true, taskId: 't1', acceptedAt: 1000, firstPostAt: 500,
        attempts: [{ at: 500, api: 'http://api-1', status: 200, taskId: 't1', error: null, ms: 500 }] },
      events: [{ at: t0 + replacedAfterMs, type: 'left', sid: 'OLD', reason: 'DUPLICATE_IDENTITY' },
        { at: t0 + replacedAfterMs, type: 'joined', sid: 'NEW', others: [] }],
      publishers: [
        { sid: 'OLD', identity: 'bithuman-avatar-agent', joinedAt: 1200, leftAt: t0 + replacedAfterMs, reason: 'DUPLICATE_IDENTITY',
          frames: run(t0 + 16 - 600 * 40, t0 + 16) },
        { sid: 'NEW', identity: 'bithuman-avatar-agent', joinedAt: t0 + replacedAfterMs, leftAt: null, reason: null,
          frames: run(t0 + replacedAfterMs + 237, 60000) },
      ],
    },
  };
}

function reportOf({ t0, agent }) {
  return buildReport({
    run: { profile: 'short', settings: {}, code: 'test', startedAt: 'now', durationMs: 60000, loads: [], skipped: [],
      faults: [{ index: 1, name: 'kill-worker', kind: 'kill -9 worker', target: 'worker-1', t0, tEnd: t0 + 3000,
        actions: [{ at: t0, what: 'kill -9 worker-1' }], launches: [], steadyBefore: { ok: true } }] },
    agents: [agent], watcher: null, thresholds: THRESHOLDS,
  });
}

test('a killed publisher replaced 1.47 s after its last frame: one failover, nothing twice, exit 0', () => {
  const r = reportOf(agentThroughAKill({ replacedAfterMs: 1487 }));
  assert.deepEqual(r.twice.seen_by_agents, []);
  assert.equal(r.failover.all.n, 1);
  assert.equal(r.failover.all.p50, 1724);
  assert.equal(r.verdict.exitCode, 0);
});

test('a publisher replaced while its frames were still coming is live twice, exit 1', () => {
  const { t0, agent } = agentThroughAKill({ replacedAfterMs: 500 });
  agent.publishers[0].frames = run(1500, t0 + 480);
  const r = reportOf({ t0, agent });
  assert.deepEqual(r.twice.seen_by_agents.map((e) => e.kind), ['replaced_live']);
  assert.equal(r.verdict.exitCode, 1);
});
