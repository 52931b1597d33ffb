// node --test ops/chaos/test/: the judgements ops/chaos makes, on made-up records whose answer is known.
import test from 'node:test';
import assert from 'node:assert/strict';
import { distribution, failoverOf, framesOf, percentile, streamingAt, twiceSeenByAgent } from '../lib/analysis.mjs';

const run = (from, to, step = 40) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
const pub = (sid, frames, extra = {}) => ({ sid, identity: 'bithuman-avatar-agent', joinedAt: frames[0] ?? 0, leftAt: null, reason: null, frames, ...extra });
const rec = (publishers, events = []) => ({ room: 'r', publishers, events });
const opts = { gapMs: 1000, stableMs: 3000 };

test('frames that keep coming through the fault are unaffected', () => {
  const r = failoverOf(framesOf(rec([pub('A', run(0, 20000))])), 5000, 15000, opts);
  assert.equal(r.kind, 'unaffected');
});

test('a kill: frames stop, come back from another publisher; failover is from the fault to the first lasting frame', () => {
  const r = failoverOf(framesOf(rec([pub('A', run(0, 5000)), pub('B', run(13000, 25000))])), 5000, 20000, opts);
  assert.equal(r.kind, 'failover');
  assert.equal(r.ms, 8000);
  assert.equal(r.outageMs, 8000);
  assert.deepEqual([r.from, r.to], ['A', 'B']);
});

test('a zombie that streams on after the fault: failover counts from the fault, the outage from the last frame', () => {
  const r = failoverOf(framesOf(rec([pub('A', run(0, 21000)), pub('B', run(35000, 45000))])), 1000, 40000, opts);
  assert.equal(r.kind, 'failover');
  assert.equal(r.ms, 34000);
  assert.equal(r.outageMs, 14000);
});

test('a gap with the same publisher after it is a stall, not a failover', () => {
  const r = failoverOf(framesOf(rec([pub('A', [...run(0, 5200), ...run(7000, 20000)])])), 5000, 15000, opts);
  assert.equal(r.kind, 'stall');
  assert.equal(r.outageMs, 1800);
});

test('flapping: a short burst of frames is not recovery; the first run that lasts is', () => {
  const frames = [...run(0, 5000), ...run(7000, 8000), ...run(11000, 20000)];
  const r = failoverOf(framesOf(rec([pub('A', run(0, 5000)), pub('B', frames.filter((f) => f >= 7000))])), 5000, 18000, opts);
  assert.equal(r.kind, 'failover');
  assert.equal(r.backAt, 11000);
  assert.equal(r.gaps, 2);
});

test('no frames again before the observation ends: not recovered; nothing before the fault: not live', () => {
  assert.equal(failoverOf(framesOf(rec([pub('A', run(0, 5000)), pub('B', run(30000, 40000))])), 5000, 20000, opts).kind, 'not_recovered');
  assert.equal(failoverOf(framesOf(rec([pub('A', run(0, 1000))])), 5000, 20000, opts).kind, 'not_live');
});

test('twice: frames of an older publisher after a newer one started', () => {
  const e = twiceSeenByAgent(rec([pub('A', run(0, 10000)), pub('B', run(8000, 20000))]));
  assert.equal(e.length, 1);
  assert.equal(e[0].kind, 'overlap');
  assert.equal(e[0].at, 8000);
});

test('twice: replaced by the room (DUPLICATE_IDENTITY) while live counts; replaced long after its last frame does not', () => {
  const live = twiceSeenByAgent(rec([pub('A', run(0, 10000), { leftAt: 10020, reason: 'DUPLICATE_IDENTITY' }),
    pub('B', run(10500, 20000), { joinedAt: 10020 })]));
  assert.deepEqual(live.map((x) => [x.kind, x.sids]), [['replaced_live', ['A', 'B']]]);
  // a worker killed with -9: its participant lingers in the room without frames until the replay takes the identity
  const dead = twiceSeenByAgent(rec([pub('A', run(0, 5000), { leftAt: 13400, reason: 'DUPLICATE_IDENTITY' }),
    pub('B', run(14000, 20000), { joinedAt: 13400 })]));
  assert.deepEqual(dead, []);
});

test('twice: the kill -9 of the clean-clone CI run of 2b57f18 is a failover, not live twice', () => {
  // its record, in ms of the run: fault at 25600; the killed publisher's last frame +16 ms; the room replaces it
  // (DUPLICATE_IDENTITY) at +1487 ms as the replay joins; frames from the replay at +1724 ms
  const t0 = 25600;
  const killed = pub('OLD', run(20000, t0 + 16, 40).concat([t0 + 16]), { leftAt: t0 + 1487, reason: 'DUPLICATE_IDENTITY' });
  const replay = pub('NEW', run(t0 + 1724, 40000), { joinedAt: t0 + 1487 });
  const r = rec([killed, replay], [{ at: t0 + 1487, type: 'joined', sid: 'NEW', others: ['OLD'] }]);
  const f = failoverOf(framesOf(r), t0, t0 + 3000, opts);
  assert.equal(f.kind, 'failover');
  assert.equal(f.ms, 1724);
  // the frames had stopped for 1.47 s (> gapMs) when the room replaced it: not live, so not twice
  assert.deepEqual(twiceSeenByAgent(r, { gapMs: opts.gapMs }), []);
  // a publisher the room replaces while its frames are still coming is twice
  const zombie = rec([pub('OLD', run(20000, t0 + 880), { leftAt: t0 + 900, reason: 'DUPLICATE_IDENTITY' }),
    pub('NEW', run(t0 + 1100, 40000), { joinedAt: t0 + 900 })]);
  assert.deepEqual(twiceSeenByAgent(zombie, { gapMs: opts.gapMs }).map((x) => x.kind), ['replaced_live']);
});

test('twice: a kill -9 replaced 0.83 s after the last frame (full profile, 9248ec6) is not twice, though within the gap', () => {
  // fault 8 of that run: frames every 40-54 ms, the last 2 ms before the kill; the room replaced the publisher at
  // +827 ms, as the replay joined (a frame within the 1 s gap, but 15 frame intervals after the stream stopped)
  const t0 = 151700;
  const killed = pub('OLD', run(140000, t0 - 2), { leftAt: t0 + 827, reason: 'DUPLICATE_IDENTITY' });
  const replay = pub('NEW', run(t0 + 1471, 170000), { joinedAt: t0 + 827 });
  const r = rec([killed, replay], [{ at: t0 + 827, type: 'joined', sid: 'NEW', others: ['OLD'] }]);
  assert.deepEqual(twiceSeenByAgent(r, { gapMs: 1000 }), []);
  assert.equal(failoverOf(framesOf(r), t0, t0 + 5000, opts).kind, 'failover');
});

test('still streaming: judged by the publisher own cadence, never beyond the gap', () => {
  const steady = run(0, 10000);
  assert.equal(streamingAt(steady, 10000 + 150), true); // within the 200 ms floor
  assert.equal(streamingAt(steady, 10000 + 250), false);
  const jerky = [...run(0, 8000), 8400, 8800, 9200]; // 400 ms apart lately: a slow but live stream
  assert.equal(streamingAt(jerky, 9200 + 350), true);
  assert.equal(streamingAt(jerky, 9200 + 450), false);
  const stalls = [0, 1200, 2400]; // longer apart than the gap itself
  assert.equal(streamingAt(stalls, 2400 + 999, 1000), true);
  assert.equal(streamingAt(stalls, 2400 + 1001, 1000), false); // never beyond the gap
  assert.equal(streamingAt([], 100), false);
  assert.equal(streamingAt([500], 100), false); // nothing before t
});

test('twice: a publisher joins while another live one is present', () => {
  const e = twiceSeenByAgent(rec([pub('A', run(0, 9000)), pub('B', [])],
    [{ at: 5000, type: 'joined', sid: 'B', others: ['A'] }]));
  assert.deepEqual(e.map((x) => x.kind), ['two_present']);
  assert.deepEqual(twiceSeenByAgent(rec([pub('A', run(0, 2000)), pub('B', [])],
    [{ at: 5000, type: 'joined', sid: 'B', others: ['A'] }])), []);
});

test('one publisher after another, with a gap, is never twice', () => {
  assert.deepEqual(twiceSeenByAgent(rec([pub('A', run(0, 5000)), pub('B', run(9000, 20000))])), []);
});

test('nearest-rank percentiles', () => {
  assert.equal(percentile([], 50), null);
  assert.equal(percentile([5], 95), 5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
  assert.deepEqual(distribution([3, 1, 2]), { n: 3, p50: 2, p95: 3, max: 3 });
});
