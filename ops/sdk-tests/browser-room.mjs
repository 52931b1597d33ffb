// livekit-client 2.23.0 in headless Debian Chromium (Playwright) renders a remote video track from the dev
// room server (run by DevRoomBrowserTest). An @livekit/rtc-node participant "avatar" publishes avatar_video
// (CAMERA, 320x240 @ 25 fps, a bright moving pattern); the page at PAGE_URL joins and snapshots the video into
// a canvas. Prints "RESULT {json}" and exits 0 once the snapshot has non-black pixels; "FAIL ..." otherwise.
// Env: URL, PAGE_URL, TOKEN_AVATAR, TOKEN_VIEWER, PROFILE_DIR, TIMEOUT_MS.
import { LocalVideoTrack, Room, TrackPublishOptions, TrackSource, VideoBufferType, VideoFrame, VideoSource, dispose } from '@livekit/rtc-node';
import { openPage } from './chromium.mjs';

const env = process.env;
const timeoutMs = Number(env.TIMEOUT_MS ?? 60000);
const log = (...a) => console.error(new Date().toISOString(), ...a);
let context;
const finish = async (code, line) => {
  console.log(line);
  try { await context?.close(); } catch (e) { log('closing browser', e); }
  process.exit(code);
};
const killer = setTimeout(() => finish(1, 'FAIL timeout after ' + timeoutMs + ' ms'), timeoutMs);

const avatar = new Room();
await avatar.connect(env.URL, env.TOKEN_AVATAR, { autoSubscribe: false, dynacast: false });
const width = 320, height = 240;
const source = new VideoSource(width, height);
const options = new TrackPublishOptions();
options.source = TrackSource.SOURCE_CAMERA;
options.simulcast = false;
await avatar.localParticipant.publishTrack(LocalVideoTrack.createVideoTrack('avatar_video', source), options);
let tick = 0;
const rgba = new Uint8Array(width * height * 4);
const timer = setInterval(() => {
  tick++;
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    rgba[i * 4] = 200;
    rgba[i * 4 + 1] = (x + tick * 3) & 255;
    rgba[i * 4 + 2] = 90;
    rgba[i * 4 + 3] = 255;
  }
  source.captureFrame(new VideoFrame(rgba, width, height, VideoBufferType.RGBA));
}, 40);
log('avatar publishing');

const pageUrl = `${env.PAGE_URL}?url=${encodeURIComponent(env.URL)}&token=${encodeURIComponent(env.TOKEN_VIEWER)}`;
let page;
({ context, page } = await openPage(env.PROFILE_DIR, pageUrl, log));
let result;
for (;;) {
  result = await page.evaluate(() => window.result);
  if (result.state === 'error') break;
  if (result.nonBlack > 1000) break;
  await new Promise((r) => setTimeout(r, 300));
}
clearTimeout(killer);
clearInterval(timer);
await avatar.disconnect();
await dispose();
await finish(result.state === 'error' ? 1 : 0, (result.state === 'error' ? 'FAIL ' : 'RESULT ') + JSON.stringify(result));
