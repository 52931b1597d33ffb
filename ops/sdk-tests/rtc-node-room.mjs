// Two @livekit/rtc-node participants in one room on the dev room server (run by DevRoomRtcNodeTest).
// "alice" publishes avatar_video (CAMERA, 320x240 @ 25 fps) and avatar_audio (MICROPHONE, 48 kHz tone);
// "bob" must receive >= 100 video frames and audio; "carol" (autoSubscribe off) subscribes to avatar_video
// explicitly (UpdateSubscription) and must get >= 25 frames; bob must also get a reliable data packet, an RPC answer and a byte stream;
// then alice unpublishes avatar_audio (bob must see it go) and RemoveParticipant(alice) must disconnect alice and tell bob. Prints one line "RESULT {json}" and exits 0
// on success; exits non-zero with "FAIL ..." otherwise. Env: URL, HTTP_URL, ROOM, TOKEN_ALICE, TOKEN_BOB,
// TOKEN_CAROL, ADMIN_TOKEN, TIMEOUT_MS.
import {
  AudioFrame, AudioSource, AudioStream, LocalAudioTrack, LocalVideoTrack, Room, RoomEvent, TrackKind,
  TrackPublishOptions, TrackSource, VideoBufferType, VideoFrame, VideoSource, VideoStream, dispose,
} from '@livekit/rtc-node';
import { createHash, randomBytes } from 'node:crypto';

const env = process.env;
const timeoutMs = Number(env.TIMEOUT_MS ?? 60000);
const result = { videoFrames: 0, audioFrames: 0, audioNonSilent: 0, tracks: [] };
const log = (...a) => console.error(new Date().toISOString(), ...a);
const fail = (why) => {
  console.log('FAIL ' + why + ' ' + JSON.stringify(result));
  process.exit(1);
};
const killer = setTimeout(() => fail('timeout after ' + timeoutMs + ' ms'), timeoutMs);

function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}
const gotVideo = deferred();
const gotAudio = deferred();
const gotData = deferred();
const gotStream = deferred();
const aliceGone = deferred();
const aliceDisconnected = deferred();

const gotCarolVideo = deferred();
const audioUnpublished = deferred();
const alice = new Room();
const bob = new Room();
const carol = new Room();
result.carolFrames = 0;
carol.on(RoomEvent.TrackPublished, (publication, participant) => {
  if (publication.name === 'avatar_video') publication.setSubscribed(true);
});
carol.on(RoomEvent.TrackSubscribed, async (track, publication) => {
  result.carolTracks = [...(result.carolTracks ?? []), publication.name];
  if (track.kind !== TrackKind.KIND_VIDEO) return;
  for await (const event of new VideoStream(track)) {
    if (++result.carolFrames >= 25) { gotCarolVideo.resolve(); break; }
  }
});

bob.on(RoomEvent.TrackSubscribed, async (track, publication, participant) => {
  result.tracks.push({ name: publication.name, source: publication.source, kind: track.kind, from: participant.identity });
  log('bob subscribed', publication.name, publication.source, track.kind);
  if (track.kind === TrackKind.KIND_VIDEO) {
    for await (const event of new VideoStream(track)) {
      result.videoFrames++;
      result.videoSize = `${event.frame.width}x${event.frame.height}`;
      if (result.videoFrames >= 100) { gotVideo.resolve(); break; }
    }
  } else if (track.kind === TrackKind.KIND_AUDIO) {
    for await (const frame of new AudioStream(track)) {
      result.audioFrames++;
      if (frame.data.some((s) => Math.abs(s) > 500)) result.audioNonSilent++;
      if (result.audioNonSilent >= 50) { gotAudio.resolve(); break; }
    }
  }
});
bob.on(RoomEvent.TrackUnpublished, (publication, participant) => {
  if (publication.name === 'avatar_audio') { result.bobSawUnpublish = participant.identity; audioUnpublished.resolve(); }
});
bob.on(RoomEvent.DataReceived, (payload, participant, kind, topic) => {
  if (topic === 'reliable-test') {
    result.data = { text: new TextDecoder().decode(payload), from: participant?.identity };
    gotData.resolve();
  }
});
bob.on(RoomEvent.ParticipantDisconnected, (participant) => {
  if (participant.identity === 'alice') { result.bobSawAliceLeave = true; aliceGone.resolve(); }
});
alice.on(RoomEvent.Disconnected, (reason) => { result.aliceDisconnectReason = reason; aliceDisconnected.resolve(); });

bob.registerByteStreamHandler('files', async (reader, info) => {
  const chunks = await reader.readAll();
  const whole = Buffer.concat(chunks.map((c) => Buffer.from(c)));
  result.stream = {
    from: info.identity, name: reader.info.name, bytes: whole.length, attr: reader.info.attributes?.k,
    sha256: createHash('sha256').update(whole).digest('hex'),
  };
  gotStream.resolve();
});

await bob.connect(env.URL, env.TOKEN_BOB, { autoSubscribe: true, dynacast: false });
bob.localParticipant.registerRpcMethod('echo', async (data) => `echo:${data.payload} from ${data.callerIdentity}`);
await carol.connect(env.URL, env.TOKEN_CAROL, { autoSubscribe: false, dynacast: false });
await alice.connect(env.URL, env.TOKEN_ALICE, { autoSubscribe: true, dynacast: false });
log('both connected');

const width = 320, height = 240;
const video = new VideoSource(width, height);
const videoTrack = LocalVideoTrack.createVideoTrack('avatar_video', video);
const videoOptions = new TrackPublishOptions();
videoOptions.source = TrackSource.SOURCE_CAMERA;
videoOptions.simulcast = false;
await alice.localParticipant.publishTrack(videoTrack, videoOptions);

const audio = new AudioSource(48000, 1);
const audioTrack = LocalAudioTrack.createAudioTrack('avatar_audio', audio);
const audioOptions = new TrackPublishOptions();
audioOptions.source = TrackSource.SOURCE_MICROPHONE;
const audioPublication = await alice.localParticipant.publishTrack(audioTrack, audioOptions);
log('alice published');

let tick = 0;
const rgba = new Uint8Array(width * height * 4);
const videoTimer = setInterval(() => {
  tick++;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const inBox = Math.abs(x - ((tick * 4) % width)) < 30 && Math.abs(y - height / 2) < 30;
      rgba[i] = inBox ? 255 : (x + tick) & 255;
      rgba[i + 1] = inBox ? 255 : y & 255;
      rgba[i + 2] = 128;
      rgba[i + 3] = 255;
    }
  }
  video.captureFrame(new VideoFrame(rgba, width, height, VideoBufferType.RGBA));
}, 40);

let audioRunning = true;
(async () => {
  let n = 0;
  while (audioRunning) {
    const samples = new Int16Array(480);
    for (let i = 0; i < 480; i++, n++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * n) / 48000));
    await audio.captureFrame(new AudioFrame(samples, 48000, 1, 480));
  }
})().catch((e) => log('audio loop', e));

await Promise.all([gotVideo.promise, gotAudio.promise, gotCarolVideo.promise]);
log('media arrived', result.videoFrames, result.audioNonSilent);

await alice.localParticipant.publishData(new TextEncoder().encode('hello over reliable'),
  { reliable: true, topic: 'reliable-test', destination_identities: ['bob'] });
result.rpc = await alice.localParticipant.performRpc({ destinationIdentity: 'bob', method: 'echo', payload: 'ping' });
const blob = randomBytes(40000);
result.sentSha256 = createHash('sha256').update(blob).digest('hex');
const writer = await alice.localParticipant.streamBytes({
  name: 'blob.bin', topic: 'files', destinationIdentities: ['bob'], attributes: { k: 'v' },
});
for (let off = 0; off < blob.length; off += 7000) await writer.write(blob.subarray(off, off + 7000));
await writer.close();
await Promise.all([gotData.promise, gotStream.promise]);
log('data, rpc and stream arrived');

audioRunning = false;
await alice.localParticipant.unpublishTrack(audioPublication.sid);
await audioUnpublished.promise;
log('audio unpublished');
clearInterval(videoTimer);
const removal = await fetch(`${env.HTTP_URL}/twirp/livekit.RoomService/RemoveParticipant`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ room: env.ROOM, identity: 'alice' }),
});
result.removeStatus = removal.status;
await Promise.all([aliceGone.promise, aliceDisconnected.promise]);
clearTimeout(killer);
console.log('RESULT ' + JSON.stringify(result));
await bob.disconnect();
await carol.disconnect();
await dispose();
process.exit(0);
