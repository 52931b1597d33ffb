// One voice agent of ops/chaos, written with @livekit/rtc-node as livekit-agents and livekit-plugins-bithuman behave:
// it joins its room, launches its avatar through the fleet's API (the plugin's JSON request: it mints the avatar's
// token, sends the image as base64, 3 attempts 2 s apart on any non-2xx or network error, 10 s each), speaks to the
// avatar on lk.audio_stream from time to time, and records every video frame it decodes with the publisher's
// identity and sid and the time (the run's clock). It judges nothing itself: lib/analysis.mjs reads the record.
import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';

// why: one pinned copy of the SDK for the whole repository: the compatibility tests' own install (ops/sdk-tests)
const sdk = createRequire(new URL('../../sdk-tests/package.json', import.meta.url))('@livekit/rtc-node');
const { DisconnectReason, Room, RoomEvent, TrackKind, VideoStream } = sdk;
export const disposeSdk = () => sdk.dispose();

export const AVATAR_IDENTITY = 'bithuman-avatar-agent';
const LAUNCH_ATTEMPTS = 3;
const LAUNCH_RETRY_MS = 2000;
const LAUNCH_TIMEOUT_MS = 10000;

export function jwt(claims, secret) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function roomToken({ key, secret, room, identity, attributes }) {
  const now = Math.floor(Date.now() / 1000);
  return jwt({
    iss: key, sub: identity, name: identity, kind: 'agent', nbf: now - 5, exp: now + 6 * 3600,
    video: { roomJoin: true, room, canPublish: true, canSubscribe: true, canPublishData: true },
    ...(attributes ? { attributes } : {}),
  }, secret);
}

export class ChaosAgent {
  /**
   * @param {object} o name, room, livekitUrl, apis (list of API base URLs), firstApi (index of the first attempt's
   *   node), key, secret, image (JPEG bytes), clock (() => ms since the run started), log
   */
  constructor(o) {
    this.o = o;
    this.identity = `agent-${o.room}`;
    this.room = new Room();
    this.events = []; // {at, type, ...}: joined, left, track, launch attempts, speech
    this.publishers = new Map(); // participant sid -> {sid, identity, joinedAt, leftAt, reason, frames: [ms]}
    this.launch = { attempts: [], accepted: false, taskId: null, acceptedAt: null, firstPostAt: null };
    this.lastFrameAt = null;
    this.speaking = false;
    this.left = false;
  }

  #event(type, fields = {}) {
    this.events.push({ at: this.o.clock(), type, ...fields });
  }

  #publisher(p) {
    let rec = this.publishers.get(p.sid);
    if (!rec) {
      rec = { sid: p.sid, identity: p.identity, joinedAt: this.o.clock(), leftAt: null, reason: null, frames: [] };
      this.publishers.set(p.sid, rec);
    }
    return rec;
  }

  async join() {
    const r = this.room;
    r.on(RoomEvent.ParticipantConnected, (p) => {
      const present = [...r.remoteParticipants.values()].filter((q) => q.sid !== p.sid).map((q) => q.sid);
      this.#publisher(p);
      this.#event('joined', { sid: p.sid, identity: p.identity, others: present });
    });
    r.on(RoomEvent.ParticipantDisconnected, (p) => {
      const rec = this.#publisher(p);
      rec.leftAt = this.o.clock();
      rec.reason = p.disconnectReason === undefined ? null : (DisconnectReason[p.disconnectReason] ?? p.disconnectReason);
      this.#event('left', { sid: p.sid, identity: p.identity, reason: rec.reason });
    });
    r.on(RoomEvent.TrackSubscribed, (track, publication, p) => {
      this.#event('track', { sid: p.sid, kind: track.kind === TrackKind.KIND_VIDEO ? 'video' : 'audio' });
      if (track.kind !== TrackKind.KIND_VIDEO) return;
      const rec = this.#publisher(p);
      (async () => {
        for await (const _ of new VideoStream(track)) {
          const at = this.o.clock();
          rec.frames.push(at);
          this.lastFrameAt = at;
        }
      })().catch((e) => this.#event('error', { message: `video of ${p.sid}: ${e}` }));
    });
    r.on(RoomEvent.Disconnected, (reason) => this.#event('disconnected', { reason }));
    const token = roomToken({ key: this.o.key, secret: this.o.secret, room: this.o.room, identity: this.identity });
    await r.connect(this.o.livekitUrl, token, { autoSubscribe: true, dynacast: false });
    r.localParticipant.registerRpcMethod('lk.playback_finished', async (data) => {
      this.#event('playback_finished', { caller: data.callerIdentity });
      return 'ok';
    });
    this.#event('connected');
  }

  /** The plugin's launch: up to 3 attempts, 2 s apart, on any non-2xx or network error; attempt j goes to API
   *  node firstApi + j (round robin), as a front over the API nodes would spread them. */
  async launchAvatar() {
    const avatarToken = roomToken({
      key: this.o.key, secret: this.o.secret, room: this.o.room, identity: AVATAR_IDENTITY,
      attributes: { 'lk.publish_on_behalf': this.identity },
    });
    const body = JSON.stringify({
      livekit_url: this.o.livekitUrl, livekit_token: avatarToken, room_name: this.o.room, mode: 'gpu',
      image: this.o.image.toString('base64'),
    });
    for (let j = 0; j < LAUNCH_ATTEMPTS; j++) {
      if (j > 0) await new Promise((r) => setTimeout(r, LAUNCH_RETRY_MS));
      const api = this.o.apis[(this.o.firstApi + j) % this.o.apis.length];
      const at = this.o.clock();
      if (this.launch.firstPostAt === null) this.launch.firstPostAt = at;
      const attempt = { at, api, status: null, taskId: null, error: null, ms: null };
      this.launch.attempts.push(attempt);
      try {
        const reply = await fetch(`${api}/launch`, {
          method: 'POST', body, signal: AbortSignal.timeout(LAUNCH_TIMEOUT_MS),
          headers: { 'Content-Type': 'application/json', 'api-secret': 'chaos' },
        });
        const text = await reply.text();
        attempt.status = reply.status;
        attempt.ms = this.o.clock() - at;
        if (reply.ok) {
          attempt.taskId = JSON.parse(text).task_id ?? null;
          Object.assign(this.launch, { accepted: true, taskId: attempt.taskId, acceptedAt: this.o.clock() });
          return true;
        }
        attempt.error = text.slice(0, 200);
      } catch (e) {
        attempt.ms = this.o.clock() - at;
        attempt.error = String(e?.cause?.code ?? e?.name ?? e);
      }
    }
    return false;
  }

  /** Live: a frame decoded within the last windowMs. */
  live(windowMs) {
    return this.lastFrameAt !== null && this.o.clock() - this.lastFrameAt <= windowMs;
  }

  /** Speaks SECONDS of a voiced buzz to the avatar, as DataStreamAudioOutput writes it (24 kHz mono, 100 ms chunks). */
  async speak(seconds) {
    if (this.speaking || this.left) return;
    this.speaking = true;
    const rate = 24000;
    try {
      const writer = await this.room.localParticipant.streamBytes({
        name: `AUDIO_${Math.random().toString(36).slice(2, 10)}`, topic: 'lk.audio_stream',
        destinationIdentities: [AVATAR_IDENTITY], attributes: { sample_rate: String(rate), num_channels: '1' },
      });
      const pcm = new Int16Array(Math.round(seconds * rate));
      for (let i = 0; i < pcm.length; i++) {
        const t = i / rate;
        pcm[i] = Math.round(9000 * (0.55 + 0.45 * Math.sin(8 * Math.PI * t)) * Math.sin(2 * Math.PI * 150 * t));
      }
      const bytes = Buffer.from(pcm.buffer);
      for (let at = 0; at < bytes.length; at += rate / 10 * 2) {
        await writer.write(new Uint8Array(bytes.subarray(at, Math.min(at + rate / 10 * 2, bytes.length))));
      }
      await writer.close();
      this.#event('spoke', { seconds });
    } catch (e) {
      // why: speech to an avatar that is gone (a fault) fails; that is expected and only noted
      this.#event('speech_failed', { message: String(e?.message ?? e).slice(0, 120) });
    } finally {
      this.speaking = false;
    }
  }

  async leave() {
    if (this.left) return;
    this.left = true;
    this.#event('leave');
    try {
      await this.room.disconnect();
    } catch { /* already gone */ }
  }

  /** What the report keeps: events, launch, and per publisher its frames (times in ms of the run). */
  record() {
    return {
      name: this.o.name, room: this.o.room, identity: this.identity, launch: this.launch, events: this.events,
      publishers: [...this.publishers.values()],
    };
  }
}
