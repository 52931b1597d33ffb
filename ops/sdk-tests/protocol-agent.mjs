// The agent side of the rest of the avatar protocol (issue 11 C), written with @livekit/rtc-node as
// livekit-agents' DataStreamAudioOutput behaves (voice/avatar/_datastream_io.py, 1.5.6 and later; agents-js
// agents/src/voice/avatar/datastream_io.ts): speech as byte streams on lk.audio_stream with the sample_rate /
// num_channels attributes, lk.clear_buffer on barge-in, lk.playback_finished registered, and lk.playback_started
// registered only when the agent waits for playback start (STARTED=answer) — the bitHuman plugin does not, so the
// avatar's call gets 1400 UNSUPPORTED_METHOD (STARTED=absent). It prints one JSON object per line on stdout.
//
//   LIVEKIT_URL, AGENT_TOKEN, AVATAR_IDENTITY   where, as whom, and whose avatar
//   SCENARIO   early: speaks (and clears) as soon as the avatar participant is there, before its video;
//              rates: once the avatar's video is there, one tone segment per entry of SEGMENTS, one after the other
//   STARTED    answer | absent
//   SEGMENTS   for rates: comma-separated RATExCHANNELS, e.g. 8000x1,44100x2
//   TONE_HZ    the tone of every segment (default 1000); SEGMENT_SECONDS (default 1)
//   MAX_SECONDS  hard limit for the whole script (default 90)
import { AudioStream, Room, RoomEvent, TrackKind, dispose } from '@livekit/rtc-node';

const env = process.env;
const avatarIdentity = env.AVATAR_IDENTITY || 'bithuman-avatar-agent';
const scenario = env.SCENARIO || 'early';
const answerStarted = (env.STARTED || 'answer') === 'answer';
const toneHz = Number(env.TONE_HZ || 1000);
const segmentSeconds = Number(env.SEGMENT_SECONDS || 1);
const maxSeconds = Number(env.MAX_SECONDS || 90);

const t0 = Date.now();
const now = () => Date.now() - t0;
const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, at: now(), ...fields }) + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hardStop = setTimeout(() => {
  emit('error', { message: `agent script over ${maxSeconds} s` });
  process.exit(3);
}, maxSeconds * 1000);

const room = new Room();
const started = [];
const finished = [];
let avatarVideo = false;
// the avatar's published audio, as received here at 48 kHz mono, kept whole for the tone analysis
const heard = [];
let heardLength = 0;

async function watchAudio(track) {
  for await (const frame of new AudioStream(track, 48000, 1)) {
    heard.push(Int16Array.from(frame.data));
    heardLength += frame.data.length;
  }
}

room.on(RoomEvent.TrackSubscribed, (track, publication, participant) => {
  if (participant.identity !== avatarIdentity) return;
  if (track.kind === TrackKind.KIND_VIDEO) avatarVideo = true;
  if (track.kind === TrackKind.KIND_AUDIO) watchAudio(track).catch((e) => emit('error', { message: `audio: ${e}` }));
});

function videoPublished() {
  const avatar = room.remoteParticipants.get(avatarIdentity);
  if (!avatar) return false;
  return [...avatar.trackPublications.values()].some((p) => p.kind === TrackKind.KIND_VIDEO);
}

function tone(rate, channels, seconds) {
  const n = Math.round(seconds * rate);
  const pcm = new Int16Array(n * channels);
  for (let i = 0; i < n; i++) {
    const v = Math.round(12000 * Math.sin((2 * Math.PI * toneHz * i) / rate));
    for (let c = 0; c < channels; c++) pcm[i * channels + c] = v;
  }
  return Buffer.from(pcm.buffer);
}

// as DataStreamAudioOutput: one byte stream per segment, 100 ms frames written one by one, closed at the end
async function speak(rate, channels, seconds) {
  const writer = await room.localParticipant.streamBytes({
    name: `AUDIO_${Math.random().toString(36).slice(2, 10)}`,
    topic: 'lk.audio_stream',
    destinationIdentities: [avatarIdentity],
    attributes: { sample_rate: String(rate), num_channels: String(channels) },
  });
  const pcm = tone(rate, channels, seconds);
  const frameBytes = Math.round(rate / 10) * 2 * channels;
  for (let at = 0; at < pcm.length; at += frameBytes) {
    await writer.write(new Uint8Array(pcm.subarray(at, Math.min(at + frameBytes, pcm.length))));
  }
  await writer.close();
  emit('sent', { rate, channels, seconds, video_published: videoPublished() });
}

const waitFor = async (cond, ms, what) => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

// The received audio cut into its tone runs (10 ms windows louder than -40 dBFS, gaps of 100 ms or more apart,
// runs under 200 ms dropped: the receiver's jitter buffer may stretch a segment's edge into a short fragment),
// each with its length and its dominant frequency (a 5 Hz Goertzel scan of 100..4000 Hz over its middle).
// why: lengths here are only rough (the receiver's NetEq stretches and conceals under load); the exact duration
// is the avatar's playback_position
function toneRuns() {
  const all = new Int16Array(heardLength);
  let at = 0;
  for (const f of heard) {
    all.set(f, at);
    at += f.length;
  }
  const win = 480;
  const loud = [];
  for (let w = 0; w + win <= all.length; w += win) {
    let sq = 0;
    for (let i = w; i < w + win; i++) sq += all[i] * all[i];
    loud.push(Math.sqrt(sq / win) > 328);
  }
  const runs = [];
  let start = -1;
  let quiet = 0;
  for (let w = 0; w <= loud.length; w++) {
    if (w < loud.length && loud[w]) {
      if (start < 0) start = w;
      quiet = 0;
    } else if (start >= 0 && (++quiet >= 10 || w === loud.length)) {
      const end = w - quiet + 1;
      runs.push({ from: start * win, to: end * win });
      start = -1;
      quiet = 0;
    }
  }
  return runs.filter((r) => r.to - r.from >= 0.2 * 48000).map((r) => {
    const len = r.to - r.from;
    const a = r.from + Math.floor(len * 0.2);
    const b = r.from + Math.floor(len * 0.8);
    let best = 0;
    let bestPower = -1;
    for (let f = 100; f <= 4000; f += 5) {
      const k = 2 * Math.cos((2 * Math.PI * f) / 48000);
      let s1 = 0;
      let s2 = 0;
      for (let i = a; i < b; i++) {
        const s = all[i] + k * s1 - s2;
        s2 = s1;
        s1 = s;
      }
      const power = s1 * s1 + s2 * s2 - k * s1 * s2;
      if (power > bestPower) {
        bestPower = power;
        best = f;
      }
    }
    return { seconds: len / 48000, frequency_hz: best };
  });
}

try {
  await room.connect(env.LIVEKIT_URL, env.AGENT_TOKEN, { autoSubscribe: true, dynacast: false });
  room.localParticipant.registerRpcMethod('lk.playback_finished', async (data) => {
    finished.push({ at: now(), payload: data.payload });
    emit('playback_finished', { payload: data.payload, caller: data.callerIdentity, started_before: started.length });
    return data.callerIdentity === avatarIdentity ? 'ok' : 'reject';
  });
  if (answerStarted) {
    room.localParticipant.registerRpcMethod('lk.playback_started', async (data) => {
      started.push({ at: now(), payload: data.payload });
      emit('playback_started', { payload: data.payload, caller: data.callerIdentity, finished_before: finished.length });
      return data.callerIdentity === avatarIdentity ? 'ok' : 'reject';
    });
  }
  emit('connected', { identity: room.localParticipant.identity });

  if (scenario === 'early') {
    // like the bitHuman plugin: only the participant is waited for (wait_for_participant), not its video
    await waitFor(() => room.remoteParticipants.has(avatarIdentity), 40000, 'the avatar participant');
    emit('avatar_joined', { video_published: videoPublished() });
    // a segment that is cleared before the avatar has published anything, then two that must all be played
    await speak(24000, 1, 5);
    const answer = await room.localParticipant.performRpc({ destinationIdentity: avatarIdentity, method: 'lk.clear_buffer', payload: '' });
    emit('clear_buffer', { answer, video_published: videoPublished() });
    await speak(16000, 2, 2);
    await speak(44100, 1, 1);
    emit('early_sent', { video_published: videoPublished() });
    await waitFor(() => finished.length >= 3, 60000, 'three playback_finished');
  } else {
    const segments = (env.SEGMENTS || '24000x1').split(',').map((s) => s.split('x').map(Number));
    await waitFor(() => avatarVideo && heardLength > 0, 40000, 'the avatar video and audio');
    for (const [rate, channels] of segments) {
      const before = finished.length;
      await speak(rate, channels, segmentSeconds);
      await waitFor(() => finished.length > before, (segmentSeconds + 15) * 1000, `playback_finished of ${rate}x${channels}`);
      await sleep(400); // why: a silent gap, so each segment is its own run in the received audio
    }
  }
  await sleep(500); // why: the audio of the last segment's end is still on its way
  emit('tones', { runs: toneRuns() });
  emit('summary', { started: started.map((s) => s.payload), finished: finished.map((f) => f.payload) });
  await room.disconnect();
  emit('done', {});
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
