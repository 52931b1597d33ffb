// livekit-client 2.23.0 in headless Debian Chromium (Playwright) joins a room as a viewer only (it publishes
// nothing) and renders whatever video track arrives first, via the page at PAGE_URL (browser/index.html). Used by
// the integration test to see the AVATAR's video the worker publishes. Prints "RESULT {json}" and exits 0 once
// the canvas snapshot has non-black pixels and both tracks from EXPECT_IDENTITY arrived; "FAIL ..." otherwise.
// Env: URL, PAGE_URL, TOKEN_VIEWER, PROFILE_DIR, EXPECT_IDENTITY (default bithuman-avatar-agent), TIMEOUT_MS.
import { chromium } from 'playwright-core';

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

context = await chromium.launchPersistentContext(env.PROFILE_DIR, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    // why: keep real host candidates (no mDNS names) so the server can reach the browser directly
    '--disable-features=WebRtcHideLocalIpsWithMdns'],
});
const page = context.pages()[0] ?? await context.newPage();
page.on('console', (m) => log('page:', m.text()));
page.on('pageerror', (e) => log('page error:', e));
await page.goto(`${env.PAGE_URL}?url=${encodeURIComponent(env.URL)}&token=${encodeURIComponent(env.TOKEN_VIEWER)}`);
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
