// Load for ops/devroom/bench/forwarding-cost.sh: one @livekit/rtc-node publisher sends a 512x512 @ 25 fps
// video (CAMERA) and 48 kHz audio (MICROPHONE); SUBSCRIBERS participants receive them through the dev room.
// Runs DURATION_S seconds, then prints "RESULT {json}" with the frames each subscriber decoded.
// Env: URL, TOKENS (comma list: publisher first), DURATION_S, WARMUP_S (not counted).
import {
  AudioFrame, AudioSource, LocalAudioTrack, LocalVideoTrack, Room, RoomEvent, TrackKind, TrackPublishOptions,
  TrackSource, VideoBufferType, VideoFrame, VideoSource, VideoStream, dispose,
} from '@livekit/rtc-node';

const [publisherToken, ...subscriberTokens] = process.env.TOKENS.split(',');
const durationMs = Number(process.env.DURATION_S ?? 30) * 1000;
const frames = subscriberTokens.map(() => 0);
const subscribers = [];
for (const [i, token] of subscriberTokens.entries()) {
  const room = new Room();
  room.on(RoomEvent.TrackSubscribed, async (track) => {
    if (track.kind !== TrackKind.KIND_VIDEO) return;
    for await (const _ of new VideoStream(track)) frames[i]++;
  });
  await room.connect(process.env.URL, token, { autoSubscribe: true, dynacast: false });
  subscribers.push(room);
}
const publisher = new Room();
await publisher.connect(process.env.URL, publisherToken, { autoSubscribe: false, dynacast: false });
const size = 512;
const video = new VideoSource(size, size);
// why: like the bitHuman container (one layer, 25 fps, 2 Mbit/s); the SDK default preset caps at 20 fps
const vopts = new TrackPublishOptions({
  source: TrackSource.SOURCE_CAMERA, simulcast: false, videoEncoding: { maxBitrate: 2_000_000n, maxFramerate: 25 },
});
await publisher.localParticipant.publishTrack(LocalVideoTrack.createVideoTrack('avatar_video', video), vopts);
const audio = new AudioSource(48000, 1);
const aopts = new TrackPublishOptions();
aopts.source = TrackSource.SOURCE_MICROPHONE;
await publisher.localParticipant.publishTrack(LocalAudioTrack.createAudioTrack('avatar_audio', audio), aopts);
const rgba = new Uint8Array(size * size * 4);
let tick = 0;
const timer = setInterval(() => {
  tick++;
  for (let i = 0; i < size * size; i++) {
    const x = i % size, y = (i / size) | 0;
    rgba[i * 4] = (x + tick * 2) & 255;
    rgba[i * 4 + 1] = (y * 3 + tick) & 255;
    rgba[i * 4 + 2] = ((x ^ y) + tick) & 255;
    rgba[i * 4 + 3] = 255;
  }
  video.captureFrame(new VideoFrame(rgba, size, size, VideoBufferType.RGBA));
}, 40);
let running = true;
(async () => {
  let n = 0;
  while (running) {
    const s = new Int16Array(480);
    for (let i = 0; i < 480; i++, n++) s[i] = Math.round(6000 * Math.sin((2 * Math.PI * 220 * n) / 48000));
    await audio.captureFrame(new AudioFrame(s, 48000, 1, 480));
  }
})();
console.log('STARTED');
// why: fps is counted after the warm-up only (connect, ICE and encoder ramp-up excluded)
const warmupMs = Number(process.env.WARMUP_S ?? 0) * 1000;
await new Promise((r) => setTimeout(r, warmupMs));
const atWarmup = [...frames];
await new Promise((r) => setTimeout(r, durationMs - warmupMs));
running = false;
clearInterval(timer);
console.log('RESULT ' + JSON.stringify({
  framesPerSubscriber: frames.map((f, i) => f - atWarmup[i]), seconds: (durationMs - warmupMs) / 1000,
}));
await Promise.all([publisher, ...subscribers].map((r) => r.disconnect()));
await dispose();
process.exit(0);
