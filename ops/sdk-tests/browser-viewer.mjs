// livekit-client 2.23.0 in headless Debian Chromium (Playwright) joins a room as a viewer only (it publishes
// nothing) and renders whatever video track arrives first, via the page at PAGE_URL (browser/index.html). Used by
// the integration test to see the AVATAR's video the worker publishes. Prints "RESULT {json}" and exits 0 once
// the canvas snapshot has non-black pixels and both tracks from EXPECT_IDENTITY arrived; "FAIL ..." otherwise.
// Env: URL, PAGE_URL, TOKEN_VIEWER, PROFILE_DIR, EXPECT_IDENTITY (default bithuman-avatar-agent), TIMEOUT_MS.
import { openPage } from './chromium.mjs';

const env = process.env;
const timeoutMs = Number(env.TIMEOUT_MS ?? 40000);
const expect = env.EXPECT_IDENTITY || 'bithuman-avatar-agent';
const log = (...a) => console.error(new Date().toISOString(), ...a);
let context;
const finish = async (code, line) => {
  console.log(line);
  try { await context?.close(); } catch (e) { log('closing browser', e); }
  process.exit(code);
};
const killer = setTimeout(() => finish(1, 'FAIL timeout after ' + timeoutMs + ' ms'), timeoutMs);

let page;
({ context, page } = await openPage(env.PROFILE_DIR, `${env.PAGE_URL}?url=${encodeURIComponent(env.URL)}&token=${encodeURIComponent(env.TOKEN_VIEWER)}`, log));
const fromAvatar = (r, name) => r.tracks.some((t) => t.from === expect && t.name === name);
let result;
for (;;) {
  result = await page.evaluate(() => window.result);
  if (result.state === 'error') break;
  if (result.nonBlack > 1000 && fromAvatar(result, 'avatar_video') && fromAvatar(result, 'avatar_audio')) break;
  await new Promise((r) => setTimeout(r, 300));
}
clearTimeout(killer);
await finish(result.state === 'error' ? 1 : 0, (result.state === 'error' ? 'FAIL ' : 'RESULT ') + JSON.stringify(result));
