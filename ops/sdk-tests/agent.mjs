// The agent side of an avatar session, written with @livekit/rtc-node exactly as livekit-agents'
// DataStreamAudioOutput behaves (reference livekit-protocol.md §2.1): it registers
// lk.playback_finished, sends speech as byte streams on lk.audio_stream with the sample_rate /
// num_channels attributes, and calls lk.clear_buffer on barge-in. It also watches the avatar's
// tracks and measures what it receives. It prints one JSON object per line on stdout for the Java
// test that started it.
//
//   node agent.mjs   (all settings from the environment)
//   LIVEKIT_URL, AGENT_TOKEN       where and as whom to join
//   AVATAR_IDENTITY                the avatar's identity (default bithuman-avatar-agent)
//   SCENARIO                       speak | clear | leave | silent (until the avatar leaves) | stay (STAY_SECONDS)
//                                  | deliver (the frames received while it speaks, for ops/bench/delivery.sh)
//   MEASURE_SECONDS, SPEAK_ON, SPEAK_OFF   scenario deliver: the window, and its speech pattern (seconds of speech,
//                                  then of silence, repeated; SPEAK_OFF 0 = speech all along)
//   WARMUP_SECONDS                 seconds after the first frame before measuring (default 2: encoder and BWE start)
//   IDLE_SECONDS                   seconds of idle video measured before speaking (default 10)
//   SPEECH_SECONDS                 length of the speech segment (default 3)
//   SPEECH_RATE, SPEECH_CHANNELS   format of the speech (default 24000 / 1, like OpenAI TTS)
//   CLEAR_AFTER_MS                 scenario clear: ms after the speech starts (default 1000)
//   MAX_SECONDS                    hard limit for the whole script (default 60)
//   FRAMES_DIR                     scenarios speak | clear: a folder for every FRAME_EVERY-th received frame (default 2) as
//                                  raw I420, <phase>-<seq>-<w>x<h>.i420, phase idle | speaking | afterSpeech | afterClear
//                                  (the last two from SETTLE_MS, default 400, after the speech is played or cleared)
//   LAUNCH_API                     optional: the API base URL; once connected the agent launches its avatar itself,
//                                  exactly as livekit-plugins-bithuman does (it mints the avatar's token and POSTs /launch)
//   LAUNCH_FORMAT                  json (the plugin's default, header api-secret) | multipart (model "expression",
//                                  Authorization: Bearer)
//   LIVEKIT_API_KEY, LIVEKIT_API_SECRET   the agent's LiveKit key pair, to sign the avatar's token
//   BITHUMAN_API_SECRET            the plugin's api_secret; AVATAR_IMAGE: path of a JPEG
import {
  AudioStream,
  Room,
  RoomEvent,
  TrackKind,
  VideoBufferType,
  VideoStream,
  dispose,
} from '@livekit/rtc-node';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const env = process.env;
const url = env.LIVEKIT_URL;
const token = env.AGENT_TOKEN;
const avatarIdentity = env.AVATAR_IDENTITY || 'bithuman-avatar-agent';
const scenario = env.SCENARIO || 'speak';
const idleSeconds = Number(env.IDLE_SECONDS || 10);
const warmupSeconds = Number(env.WARMUP_SECONDS || 2);
const speechSeconds = Number(env.SPEECH_SECONDS || 3);
const speechRate = Number(env.SPEECH_RATE || 24000);
const speechChannels = Number(env.SPEECH_CHANNELS || 1);
const clearAfterMs = Number(env.CLEAR_AFTER_MS || 1000);
const maxSeconds = Number(env.MAX_SECONDS || 60);
const framesDir = env.FRAMES_DIR || null;
const frameEvery = Number(env.FRAME_EVERY || 2);
const settleMs = Number(env.SETTLE_MS || 400);

const t0 = Date.now();
const now = () => Date.now() - t0;
const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, at: now(), ...fields }) + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const hardStop = setTimeout(() => {
  emit('error', { message: `agent script over ${maxSeconds} s` });
  process.exit(3);
}, maxSeconds * 1000);

// ---- what we observe of the avatar's video ----
const video = { frames: [], width: 0, height: 0 };
// why: the mouth is judged by the Java test with a landmark model on the frames as received, in each frame's own face
// (the head sways: a fixed region of the picture measures the sway, not the mouth). Written phases: idle (the measured
// idle window), speaking (from 300 ms into the speech until it is reported played, or the clear is sent), afterSpeech
// and afterClear (from SETTLE_MS after that on). Not written: unjudged (warm-up, the speech's first 300 ms, the clear's
// round trip) and the settling SETTLE_MS.
let mouthPhase = 'unjudged';
let phaseSince = 0;
const written = { idle: 0, speaking: 0, afterSpeech: 0, afterClear: 0 };
let received = 0;
function setPhase(phase) {
  mouthPhase = phase;
  phaseSince = now();
}

function keepFrame(frame) {
  received++;
  if (!framesDir || !(mouthPhase in written) || received % frameEvery !== 0) return;
  if ((mouthPhase === 'afterSpeech' || mouthPhase === 'afterClear') && now() - phaseSince < settleMs) return;
  const i420 = frame.type === VideoBufferType.I420 ? frame : frame.convert(VideoBufferType.I420);
  const bytes = (i420.width * i420.height * 3) / 2;
  const n = String(written[mouthPhase]++).padStart(4, '0');
  writeFileSync(join(framesDir, `${mouthPhase}-${n}-${i420.width}x${i420.height}.i420`), i420.data.subarray(0, bytes));
}

async function watchVideo(track) {
  const stream = new VideoStream(track);
  for await (const event of stream) {
    const f = event.frame;
    video.width = f.width;
    video.height = f.height;
    video.frames.push(now());
    if (video.frames.length === 1) {
      emit('first_frame', { width: f.width, height: f.height,
        since_launch_ms: launchPostedAt === null ? null : now() - launchPostedAt });
    }
    keepFrame(f);
  }
}

const audio = { frames: 0, speechFrames: 0 };
async function watchAudio(track) {
  const stream = new AudioStream(track);
  for await (const frame of stream) {
    audio.frames++;
    let peak = 0;
    for (let i = 0; i < frame.data.length; i++) peak = Math.max(peak, Math.abs(frame.data[i]));
    if (peak > 1000) audio.speechFrames++;
  }
}

function fpsOver(fromMs, toMs) {
  const n = video.frames.filter((t) => t >= fromMs && t < toMs).length;
  return n / ((toMs - fromMs) / 1000);
}

// ---- speech, as DataStreamAudioOutput writes it ----
function speechPcm(seconds) {
  const samples = Math.round(seconds * speechRate);
  const pcm = new Int16Array(samples * speechChannels);
  for (let i = 0; i < samples; i++) {
    const t = i / speechRate;
    // a voiced 150 Hz buzz with harmonics, syllables at 4 Hz
    const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
    const v = envelope * (Math.sin(2 * Math.PI * 150 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t) + 0.25 * Math.sin(2 * Math.PI * 450 * t));
    for (let c = 0; c < speechChannels; c++) pcm[i * speechChannels + c] = Math.round(v * 9000);
  }
  return Buffer.from(pcm.buffer);
}

async function speak(room, seconds) {
  const writer = await room.localParticipant.streamBytes({
    name: `AUDIO_${Math.random().toString(36).slice(2, 10)}`,
    topic: 'lk.audio_stream',
    destinationIdentities: [avatarIdentity],
    attributes: { sample_rate: String(speechRate), num_channels: String(speechChannels) },
  });
  const pcm = speechPcm(seconds);
  const frameBytes = Math.round(speechRate / 10) * 2 * speechChannels; // 100 ms frames
  for (let at = 0; at < pcm.length; at += frameBytes) {
    await writer.write(new Uint8Array(pcm.subarray(at, Math.min(at + frameBytes, pcm.length))));
  }
  await writer.close();
}

// ---- the bitHuman plugin's launch (livekit-plugins-bithuman avatar.py, reference livekit-protocol.md §1) ----
function b64url(data) {
  return Buffer.from(data).toString('base64url');
}

// livekit-api AccessToken as _start_cloud fills it: HS256, iss = api key, sub = name = the avatar identity,
// kind agent, nbf now, exp now + 6 h, a room grant (publish, subscribe, data default to true) and the attributes.
function avatarToken(roomName, agentIdentity) {
  const nowS = Math.floor(Date.now() / 1000);
  const claims = {
    iss: env.LIVEKIT_API_KEY, sub: avatarIdentity, name: avatarIdentity, kind: 'agent', nbf: nowS, exp: nowS + 6 * 3600,
    video: { roomJoin: true, room: roomName, canPublish: true, canSubscribe: true, canPublishData: true },
    attributes: { 'lk.publish_on_behalf': agentIdentity, api_secret: env.BITHUMAN_API_SECRET },
  };
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', env.LIVEKIT_API_SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

async function launchAvatar(roomName, agentIdentity) {
  const jpeg = readFileSync(env.AVATAR_IMAGE);
  const livekitToken = avatarToken(roomName, agentIdentity);
  let init;
  if ((env.LAUNCH_FORMAT || 'json') === 'multipart') {
    // _send_formdata_request: fields in this order, the image as the avatar_image file part
    const form = new FormData();
    form.append('livekit_url', url);
    form.append('livekit_token', livekitToken);
    form.append('room_name', roomName);
    form.append('avatar_image', new Blob([jpeg], { type: 'image/jpeg' }), 'avatar.jpg');
    init = { method: 'POST', headers: { Authorization: `Bearer ${env.BITHUMAN_API_SECRET}` }, body: form };
  } else {
    // _send_json_request: mode gpu because an image is given, image as base64 of the JPEG
    init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'api-secret': env.BITHUMAN_API_SECRET },
      body: JSON.stringify({ livekit_url: url, livekit_token: livekitToken, room_name: roomName, mode: 'gpu',
        image: jpeg.toString('base64') }),
    };
  }
  const postedAt = now();
  launchPostedAt = postedAt; // why: the first frame may be decoded before the reply is read
  const reply = await fetch(`${env.LAUNCH_API}/launch`, init);
  const text = await reply.text();
  emit('launched', { status: reply.status, body: text, posted_at: postedAt, format: env.LAUNCH_FORMAT || 'json' });
  if (!reply.ok) throw new Error(`POST /launch answered ${reply.status}: ${text}`);
  return postedAt;
}

// ---- main ----
const room = new Room();
let launchPostedAt = null;
const finished = [];
let avatarVideo = null;
let avatarAudio = null;

room.on(RoomEvent.TrackSubscribed, (track, publication, participant) => {
  if (participant.identity !== avatarIdentity) return;
  emit('track', { kind: track.kind === TrackKind.KIND_VIDEO ? 'video' : 'audio', name: publication.name, source: publication.source });
  if (track.kind === TrackKind.KIND_VIDEO && !avatarVideo) {
    avatarVideo = track;
    watchVideo(track).catch((e) => emit('error', { message: `video: ${e}` }));
  } else if (track.kind === TrackKind.KIND_AUDIO && !avatarAudio) {
    avatarAudio = track;
    watchAudio(track).catch((e) => emit('error', { message: `audio: ${e}` }));
  }
});
room.on(RoomEvent.ParticipantConnected, (p) => {
  if (p.identity === avatarIdentity) emit('avatar_joined', { attributes: p.attributes });
});
room.on(RoomEvent.ParticipantDisconnected, (p) => {
  if (p.identity === avatarIdentity) emit('avatar_left');
});
room.on(RoomEvent.Disconnected, (reason) => emit('disconnected', { reason }));

try {
  await room.connect(url, token, { autoSubscribe: true, dynacast: false });
  emit('connected', { identity: room.localParticipant.identity });
  room.localParticipant.registerRpcMethod('lk.playback_finished', async (data) => {
    finished.push({ at: now(), payload: data.payload, caller: data.callerIdentity });
    emit('playback_finished', { payload: data.payload, caller: data.callerIdentity });
    return data.callerIdentity === avatarIdentity ? 'ok' : 'reject';
  });
  if (env.LAUNCH_API) await launchAvatar(room.name, room.localParticipant.identity);

  const waitFor = async (cond, ms, what) => {
    const until = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  };

  if (scenario === 'deliver') {
    // the frames the avatar delivers while it speaks (or speaks and pauses), as its viewers receive them
    await waitFor(() => avatarVideo && video.frames.length > 0, 60000, 'avatar video');
    await sleep(warmupSeconds * 1000);
    const measureMs = Number(env.MEASURE_SECONDS || 10) * 1000;
    const on = Number(env.SPEAK_ON || 0);
    const off = Number(env.SPEAK_OFF || 0);
    const from = now();
    const sending = [];
    if (off <= 0) {
      sending.push(speak(room, measureMs / 1000 + 2));
    } else {
      (async () => {
        while (now() < from + measureMs) {
          sending.push(speak(room, on));
          await sleep((on + off) * 1000);
        }
      })();
    }
    await sleep(measureMs);
    const to = now();
    const times = video.frames.filter((t) => t >= from && t < to);
    const gaps = [];
    for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
    gaps.sort((a, b) => a - b);
    const pct = (q) => (gaps.length ? gaps[Math.min(gaps.length - 1, Math.ceil(q * gaps.length) - 1)] : null);
    emit('delivery', { fps: times.length / (measureMs / 1000), p50_ms: pct(0.5), p99_ms: pct(0.99),
      max_ms: gaps.length ? gaps[gaps.length - 1] : null, frames: times.length, width: video.width, height: video.height });
    await room.disconnect();
    emit('done', {});
  } else if (scenario === 'stay') {
    // stays in the room, silent, for STAY_SECONDS whatever the avatar does (it may leave and come back)
    await sleep(Number(env.STAY_SECONDS || 30) * 1000);
    await room.disconnect();
    emit('done', {});
  } else if (scenario === 'silent') {
    // stays in the room without speaking until the avatar leaves (idle timeout)
    await waitFor(() => ![...room.remoteParticipants.keys()].includes(avatarIdentity) && avatarVideo, (maxSeconds - 2) * 1000, 'the avatar to leave');
    emit('done', {});
  } else {
    await waitFor(() => avatarVideo && video.frames.length > 0, 20000, 'avatar video');
    if (scenario === 'leave') {
      await room.disconnect();
      emit('done', {});
    } else {
      await sleep(warmupSeconds * 1000);
      const idleStart = now();
      setPhase('idle');
      await sleep(idleSeconds * 1000);
      const idleEnd = now();
      emit('video', { fps: fpsOver(idleStart, idleEnd), width: video.width, height: video.height, window_s: idleSeconds,
        audio_track: Boolean(avatarAudio) });
      if (scenario === 'speak' || scenario === 'clear') {
        const speechStart = now();
        const sending = speak(room, speechSeconds);
        setPhase('unjudged');
        await sleep(300);
        setPhase('speaking');
        if (scenario === 'clear') {
          await sleep(Math.max(0, clearAfterMs - 300));
          const clearAt = now();
          setPhase('unjudged');
          const answer = await room.localParticipant.performRpc({ destinationIdentity: avatarIdentity, method: 'lk.clear_buffer', payload: '' });
          setPhase('afterClear');
          emit('clear_buffer', { answer, rpc_ms: now() - clearAt });
          await sending;
          await waitFor(() => finished.length > 0, 5000, 'playback_finished after clear');
          emit('cleared', { finished_after_ms: finished[0].at - clearAt, payload: finished[0].payload });
          await sleep(1500);
        } else {
          await sending;
          await waitFor(() => finished.length > 0, (speechSeconds + 10) * 1000, 'playback_finished');
          emit('spoken', { finished_after_ms: finished[0].at - speechStart });
          setPhase('afterSpeech');
          await sleep(1500);
        }
        setPhase('unjudged');
        emit('mouth', { frames_dir: framesDir, ...written });
      }
      emit('audio', { frames: audio.frames, speech_frames: audio.speechFrames });
      emit('summary', { playback_finished: finished.map((f) => f.payload) });
      await room.disconnect();
      emit('done', {});
    }
  }
} catch (e) {
  emit('error', { message: String(e && e.message ? e.message : e) });
  process.exitCode = 2;
  try {
    await room.disconnect();
  } catch {}
} finally {
  clearTimeout(hardStop);
  await dispose();
}
