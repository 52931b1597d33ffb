// The dashboard's try-it page (GET /try on an API node) in headless Debian Chromium, driven by playwright-core; run by
// worker's LaunchToRoomMediaTest. It types the API key, presses Start (the page mints a room, joins it with
// livekit-client as the agent and launches the avatar), waits for the avatar's video, presses "Speak the clip" and
// samples the video at rest, while the clip plays and after it: the frame must not be black, and each sample is written to
// FRAMES_DIR as a PNG (<phase>-<seq>.png, phase idle | speaking | afterSpeech) for the Java test, which judges the mouth
// with a landmark model in each frame's own face (the head sways: a fixed region of the picture would measure the sway).
// Prints "RESULT {json}" and exits 0, or "FAIL ..." and exits 1.
//   TRY_URL=http://127.0.0.1:PORT/try API_KEY=... PROFILE_DIR=... FRAMES_DIR=... SCREENSHOT=out.png node try-page.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage } from './chromium.mjs';

const env = process.env;
const log = (...a) => console.error(new Date().toISOString(), ...a);
const WAIT = { timeout: 40000 };
let context;
try {
  let page;
  ({ context, page } = await openPage(env.PROFILE_DIR, env.TRY_URL, log));
  if (env.API_KEY) {
    await page.fill('#key', env.API_KEY);
    await page.dispatchEvent('#key', 'change');
  }
  await page.click('#start');
  await page.waitForFunction(() => window.tryState.error || (window.tryState.video && window.tryState.frames > 10), null, WAIT);
  const started = await page.evaluate(() => window.tryState);
  if (started.error) throw new Error('the page failed: ' + started.error);
  // the video element's picture now, as PNG bytes (what the viewer sees, after decoding and scaling)
  const grab = async () => {
    const url = await page.evaluate(() => {
      const video = document.getElementById('avatar');
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext('2d').drawImage(video, 0, 0);
      return canvas.toDataURL('image/png');
    });
    return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  };
  const written = { idle: 0, speaking: 0, afterSpeech: 0 };
  // samples about every 150 ms for `ms`
  const sample = async (phase, ms) => {
    const out = [];
    const until = Date.now() + ms;
    while (Date.now() < until) {
      await page.waitForTimeout(150);
      out.push(await page.evaluate(() => window.tryProbe()));
      if (env.FRAMES_DIR) writeFileSync(join(env.FRAMES_DIR, `${phase}-${String(written[phase]++).padStart(4, '0')}.png`), await grab());
    }
    return out;
  };
  const idle = await sample('idle', 3000);
  await page.click('#speak');
  // sampled while the 4 s clip plays (3 s of it, from 0.3 s on: the avatar's buffering is well under that)
  await page.waitForTimeout(300);
  const samples = await sample('speaking', 3000);
  await page.waitForFunction(() => window.tryState.playbackFinished > 0, null, WAIT);
  // why: the mouth settles within 0.4 s of the speech's end (SpeechShapes' release)
  await page.waitForTimeout(400);
  await sample('afterSpeech', 1500);
  const state = await page.evaluate(() => window.tryState);
  if (env.SCREENSHOT) await page.screenshot({ path: env.SCREENSHOT, fullPage: true });

  const nonBlack = Math.min(...idle.concat(samples).map((s) => s.nonBlack / s.pixels));
  const result = {
    width: samples[0].width, height: samples[0].height, nonBlack, frames: written,
    fps: state.fps, decodedFps: state.decodedFps, frames_shown: state.frames, playbackFinished: state.playbackFinished, taskId: state.taskId,
  };
  // why: a black video fails here; the mouth is judged by the Java test from the frames written
  if (nonBlack < 0.5) throw new Error('the avatar video is black: ' + JSON.stringify(result));
  console.log('RESULT ' + JSON.stringify(result));
} catch (e) {
  console.log('FAIL ' + (e && e.message ? e.message : e));
  process.exitCode = 1;
} finally {
  try { await context?.close(); } catch (e) { log('closing browser', e); }
}
