// What the run's records mean, as pure functions (node --test ops/chaos/test/ checks them on made-up records):
// failover per fault and agent, a session live twice as the agent saw it, lost sessions, percentiles.

/** Every decoded frame of an agent, all publishers together, in time order: [{at, sid}]. */
export function framesOf(record) {
  return record.publishers.flatMap((p) => p.frames.map((at) => ({ at, sid: p.sid }))).sort((a, b) => a.at - b.at);
}

/**
 * How one agent's video went through a fault that began at t0 and whose observation ended at tEnd.
 * - unaffected: frames kept coming with no gap over gapMs (a seamless switch of publisher counts as unaffected here;
 *   the twice check is what judges two publishers).
 * - failover: the frames stopped (gap > gapMs) and came back from ANOTHER publisher (the session moved or restarted):
 *   ms from t0 to the first frame of the first run of frames that then lasts stableMs (or until the record ends),
 *   and outageMs, how long the agent saw no frame (from the last frame before the gap).
 * - stall: the frames stopped and came back from the same publisher (CPU, network): not a failover.
 * - not_recovered: the frames stopped and no stable run followed before tEnd.
 * - not_live: no frame within gapMs before t0 (nothing to fail over).
 * @returns {{kind: string, ms?: number, outageMs?: number, stopAt?: number, backAt?: number, from?: string, to?: string,
 *   gaps: number}}
 */
export function failoverOf(frames, t0, tEnd, { gapMs = 1000, stableMs = 3000 } = {}) {
  const before = lastBefore(frames, t0);
  if (before === -1 || t0 - frames[before].at > gapMs) return { kind: 'not_live', gaps: 0 };
  // the first gap after the last frame before t0, within the observation
  let i = before;
  while (i + 1 < frames.length && frames[i + 1].at - frames[i].at <= gapMs) i++;
  const stopAt = frames[i].at;
  if (stopAt >= tEnd || (i + 1 >= frames.length && tEnd - stopAt <= gapMs)) return { kind: 'unaffected', gaps: 0 };
  const from = frames[i].sid;
  // after the gap: the first run of frames that stays for stableMs (or until the record ends) and starts before tEnd
  let gaps = 1;
  let j = i + 1;
  while (j < frames.length && frames[j].at <= tEnd) {
    let k = j;
    while (k + 1 < frames.length && frames[k + 1].at - frames[k].at <= gapMs && frames[k].at - frames[j].at < stableMs) k++;
    const lasts = frames[k].at - frames[j].at >= stableMs || k + 1 >= frames.length;
    if (lasts) {
      const to = frames[j].sid;
      return { kind: to === from ? 'stall' : 'failover', ms: frames[j].at - t0, outageMs: frames[j].at - stopAt,
        stopAt, backAt: frames[j].at, from, to, gaps };
    }
    gaps++;
    j = k + 1;
  }
  return { kind: 'not_recovered', stopAt, from, gaps };
}

function lastBefore(frames, t) {
  let lo = 0;
  let hi = frames.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid].at <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * The agent's own evidence of its avatar live twice at one instant (two workers publishing for one session):
 * - overlap: frames from an earlier publisher decoded after the first frame of a later one;
 * - replaced_live: a publisher removed by the room as DUPLICATE_IDENTITY (another connection took its identity)
 *   while its frames were still coming (see streamingAt);
 * - two_present: a publisher joined while another one whose frames were still coming was in the room.
 * @returns {{at: number, kind: string, room: string, sids: string[], detail: string}[]}
 */
export function twiceSeenByAgent(record, { gapMs = 1000 } = {}) {
  const out = [];
  const seen = new Set();
  const add = (e) => {
    const key = `${e.kind}|${[...e.sids].sort().join(',')}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ room: record.room, ...e });
    }
  };
  const pubs = record.publishers.filter((p) => p.frames.length > 0).sort((a, b) => a.frames[0] - b.frames[0]);
  const liveAt = (p, t) => streamingAt(p.frames, t, gapMs);
  for (let a = 0; a < pubs.length; a++) {
    for (let b = a + 1; b < pubs.length; b++) {
      const first = pubs[b].frames[0];
      const late = pubs[a].frames.filter((f) => f > first);
      if (late.length > 0) {
        add({ at: first, kind: 'overlap', sids: [pubs[a].sid, pubs[b].sid],
          detail: `${late.length} frame(s) of ${pubs[a].sid} decoded after ${pubs[b].sid} started (for ${late.at(-1) - first} ms)` });
      }
    }
  }
  const bySid = new Map(record.publishers.map((p) => [p.sid, p]));
  for (const p of record.publishers) {
    if (p.reason === 'DUPLICATE_IDENTITY' && p.leftAt !== null && liveAt(p, p.leftAt)) {
      const by = record.publishers.filter((q) => q.sid !== p.sid && q.joinedAt >= p.leftAt - 50).sort((x, y) => x.joinedAt - y.joinedAt)[0];
      add({ at: p.leftAt, kind: 'replaced_live', sids: by ? [p.sid, by.sid] : [p.sid],
        detail: `${p.sid} was live and was replaced by ${by?.sid ?? 'a new connection'} with the same identity` });
    }
  }
  for (const e of record.events) {
    if (e.type !== 'joined') continue;
    for (const other of e.others ?? []) {
      const o = bySid.get(other);
      if (o && liveAt(o, e.at)) {
        add({ at: e.at, kind: 'two_present', sids: [other, e.sid], detail: `${e.sid} joined while ${other} was live` });
      }
    }
  }
  return out.sort((x, y) => x.at - y.at);
}

/** How far back streamingAt looks for a publisher's own cadence, and the least it allows (a few 40 ms frames). */
export const CADENCE_WINDOW_MS = 5000;
export const CADENCE_FLOOR_MS = 200;

/**
 * Whether a publisher's frames were still coming at t: its last frame before t is no older than the longest interval
 * between its frames over the CADENCE_WINDOW_MS before that frame (at least CADENCE_FLOOR_MS, at most gapMs).
 * why: a worker killed with -9 stops at once, and with failover under 1 s the room replaces its publisher 0.8 s
 * after its last frame, well inside the failover's 1 s gap, while its frames had come every 40-55 ms; a publisher the
 * room replaces while it still streams (a zombie) had its last frame 16-38 ms before (the runs before issue 14's
 * fencing). Its own cadence tells the two apart where a fixed window cannot.
 * @param frames the publisher's frame times, ascending
 */
export function streamingAt(frames, t, gapMs = 1000) {
  let last = -1;
  for (let i = frames.length - 1; i >= 0; i--) {
    if (frames[i] <= t) {
      last = i;
      break;
    }
  }
  if (last === -1) return false;
  let longest = 0;
  for (let i = last; i > 0 && frames[i - 1] >= frames[last] - CADENCE_WINDOW_MS; i--) {
    longest = Math.max(longest, frames[i] - frames[i - 1]);
  }
  return t - frames[last] <= Math.min(gapMs, Math.max(CADENCE_FLOOR_MS, longest));
}

/** Nearest-rank percentile of numbers (null when empty). */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

export function distribution(values) {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95),
    max: values.length ? Math.max(...values) : null };
}
