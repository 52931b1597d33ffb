// The dashboard's try-it page (GET /try on an API node) in headless Debian Chromium, driven by playwright-core; run by
// worker's LaunchToRoomMediaTest. It types the API key, presses Start (the page mints a room, joins it with
// livekit-client as the agent and launches the avatar), waits for the avatar's video, presses "Speak the clip" and
// samples the video while the clip plays: the frame must not be black and the mouth region must change.
// Prints "RESULT {json}" and exits 0, or "FAIL ..." and exits 1.
//   TRY_URL=http://127.0.0.1:PORT/try API_KEY=... PROFILE_DIR=... SCREENSHOT=out.png node try-page.mjs
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
  const sample = async (n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      await page.waitForTimeout(150);
      out.push(await page.evaluate(() => window.tryProbe()));
    }
    return out;
  };
  // why: the idle avatar moves a little too (breathing, blinks); the mouth must change more while it speaks
  const idle = await sample(20);
  await page.click('#speak');
  // sampled while the 4 s clip plays (3 s of it, from 0.3 s on: the avatar's buffering is well under that)
  await page.waitForTimeout(300);
  const samples = await sample(20);
  await page.waitForFunction(() => window.tryState.playbackFinished > 0, null, WAIT);
  const state = await page.evaluate(() => window.tryState);
  if (env.SCREENSHOT) await page.screenshot({ path: env.SCREENSHOT, fullPage: true });

  // the mean per-pixel luma change of the mouth region between samples 150 ms apart
  const diff = (a, b) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
  const change = (list) => {
    let total = 0;
    for (let i = 1; i < list.length; i++) total += diff(list[i].mouth, list[i - 1].mouth);
    return total / (list.length - 1);
  };
  const idleChange = change(idle);
  const mouthChange = change(samples);
  const nonBlack = Math.min(...samples.map((s) => s.nonBlack / s.pixels));
  const result = {
    width: samples[0].width, height: samples[0].height, nonBlack, idleChange, mouthChange,
    fps: state.fps, decodedFps: state.decodedFps, frames: state.frames, playbackFinished: state.playbackFinished, taskId: state.taskId,
  };
  // why: a black video, or a mouth that moves no more while speaking than at rest, fails here
  if (nonBlack < 0.5) throw new Error('the avatar video is black: ' + JSON.stringify(result));
  if (mouthChange < idleChange + 1.0) throw new Error('the mouth region did not move with the clip: ' + JSON.stringify(result));
  console.log('RESULT ' + JSON.stringify(result));
} catch (e) {
  console.log('FAIL ' + (e && e.message ? e.message : e));
  process.exitCode = 1;
} finally {
  try { await context?.close(); } catch (e) { log('closing browser', e); }
}
