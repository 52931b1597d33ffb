// The try-it page: POST /try/session mints a room on the try-it LiveKit server with a token for this page (the
// agent) and one for the avatar; the page joins with livekit-client, launches the avatar through POST /launch as
// the bitHuman plugin does (JSON, the avatar's token, the photo as base64), shows avatar_video and plays
// avatar_audio, and sends a short speech clip as the agent over the avatar data-stream protocol (a byte stream on
// lk.audio_stream with sample_rate and num_channels; lk.playback_finished is answered). window.tryState reports
// what happened, window.tryProbe() samples the video (the browser tests read both).
'use strict';

const $ = (id) => document.getElementById(id);
const RATE = 24000;
window.tryState = { state: 'idle', frames: 0, fps: 0, decodedFps: 0, playbackFinished: 0, spoken: 0, error: null };
let room = null;
let session = null;
let taskId = null;

function log(line) {
  $('log').textContent += new Date().toISOString().slice(11, 23) + ' ' + line + '\n';
}

function setState(state) {
  window.tryState.state = state;
  $('state').textContent = state;
}

/** A short voiced clip: a 110-170 Hz buzz with harmonics, syllables at about 4 per second, pauses between words. */
function clip(seconds) {
  const n = Math.round(seconds * RATE);
  const pcm = new Int16Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const word = Math.floor(t / 0.9);
    const inWord = (t % 0.9) < 0.7;
    const pitch = 130 + 30 * Math.sin(2 * Math.PI * 0.7 * t + word);
    phase += 2 * Math.PI * pitch / RATE;
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4.2 * t));
    const envelope = inWord ? 0.25 + 0.75 * syllable : 0;
    const v = envelope * (Math.sin(phase) + 0.6 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase) + 0.15 * Math.sin(5 * phase));
    pcm[i] = Math.round(v * 7000);
  }
  return new Uint8Array(pcm.buffer);
}

async function speak() {
  if (!room || !session) return;
  const writer = await room.localParticipant.streamBytes({
    name: 'AUDIO_' + Math.random().toString(36).slice(2, 10),
    topic: 'lk.audio_stream',
    destinationIdentities: [session.avatar_identity],
    attributes: { sample_rate: String(RATE), num_channels: '1' },
  });
  const pcm = clip(4);
  const chunk = RATE / 10 * 2;
  for (let at = 0; at < pcm.length; at += chunk) {
    await writer.write(pcm.subarray(at, Math.min(at + chunk, pcm.length)));
  }
  await writer.close();
  window.tryState.spoken++;
  window.tryState.spokenAt = performance.now();
  log('clip sent (4 s)');
}

function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function watchVideo(video) {
  let last = performance.now();
  let count = 0;
  const onFrame = () => {
    window.tryState.frames++;
    count++;
    const now = performance.now();
    if (now - last >= 2000) {
      window.tryState.fps = Math.round(count * 10000 / (now - last)) / 10;
      count = 0;
      last = now;
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

async function readStats(track) {
  let previous = null;
  setInterval(async () => {
    if (!track || !track.getRTCStatsReport) return;
    const report = await track.getRTCStatsReport();
    if (!report) return;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        if (previous) {
          window.tryState.decodedFps = Math.round((s.framesDecoded - previous.framesDecoded) * 10000 / (s.timestamp - previous.timestamp)) / 10;
        }
        previous = s;
        $('video-stats').textContent = `${s.frameWidth}x${s.frameHeight}, ${window.tryState.decodedFps} fps decoded, `
          + `${window.tryState.fps} fps shown, ${s.framesDropped || 0} dropped`;
      }
    });
  }, 2000);
}

/** The video now: its size and how many pixels are not black (the browser test judges the mouth from frames it grabs). */
window.tryProbe = () => {
  const video = $('avatar');
  if (!video.videoWidth) return null;
  const w = video.videoWidth;
  const h = video.videoHeight;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(video, 0, 0);
  const all = ctx.getImageData(0, 0, w, h).data;
  let nonBlack = 0;
  for (let i = 0; i < all.length; i += 4) if (all[i] + all[i + 1] + all[i + 2] > 60) nonBlack++;
  return { width: w, height: h, nonBlack, pixels: w * h };
};

async function start() {
  $('start').disabled = true;
  try {
    setState('minting a room');
    session = await (await api('/try/session', { method: 'POST' })).json();
    $('room').textContent = session.room_name;
    room = new LivekitClient.Room({ adaptiveStream: false, dynacast: false });
    room.on(LivekitClient.RoomEvent.TrackSubscribed, (track, publication, participant) => {
      if (participant.identity !== session.avatar_identity) return;
      log(`${publication.trackName} (${track.kind}) subscribed`);
      if (track.kind === 'video') {
        track.attach($('avatar'));
        watchVideo($('avatar'));
        readStats(track);
        window.tryState.video = true;
        setState('avatar on screen');
        $('speak').disabled = false;
      } else {
        track.attach($('voice'));
        window.tryState.audio = true;
      }
    });
    room.on(LivekitClient.RoomEvent.ParticipantConnected, (p) => log(p.identity + ' joined'));
    room.on(LivekitClient.RoomEvent.Disconnected, (reason) => { setState('disconnected'); log('disconnected ' + reason); });
    room.registerRpcMethod('lk.playback_finished', async (data) => {
      window.tryState.playbackFinished++;
      log('lk.playback_finished ' + data.payload);
      return '';
    });
    setState('joining');
    await room.connect(session.livekit_url, session.agent_token);
    setState('launching the avatar');
    const body = { livekit_url: session.livekit_url, livekit_token: session.avatar_token, room_name: session.room_name, mode: 'cpu' };
    const file = $('photo').files[0];
    if (file) body.image = base64(new Uint8Array(await file.arrayBuffer()));
    const launched = await (await api('/launch', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    })).json();
    taskId = launched.task_id;
    window.tryState.taskId = taskId;
    $('task').textContent = taskId;
    setState('waiting for the avatar');
    $('stop').disabled = false;
  } catch (e) {
    window.tryState.error = e.message;
    setState('error: ' + e.message);
    $('start').disabled = false;
  }
}

async function stop() {
  $('stop').disabled = true;
  $('speak').disabled = true;
  try {
    if (taskId) await api(`/tasks/${encodeURIComponent(taskId)}/stop`, { method: 'POST' });
  } catch (e) {
    log('stop: ' + e.message);
  }
  if (room) await room.disconnect();
  setState('stopped');
  $('start').disabled = false;
}

bindKeyField($('key'));
$('start').addEventListener('click', start);
$('speak').addEventListener('click', () => speak().catch((e) => log('speak: ' + e.message)));
$('stop').addEventListener('click', stop);
