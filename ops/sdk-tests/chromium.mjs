// Headless Debian Chromium (/usr/bin/chromium, never a downloaded browser) driven by playwright-core, with
// the flags this machine needs, opening the livekit-client test page. Shared by browser-room.mjs and
// browser-viewer.mjs.
import { chromium } from 'playwright-core';

/**
 * Launches Chromium on a fresh profile and opens `pageUrl`; page console lines and errors go to `log`.
 * Returns { context, page }; the caller closes the context.
 */
export async function openPage(profileDir, pageUrl, log) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      // why: without these Chromium keeps calling out to Google's hosts, which this closed network refuses
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      // why: keep real host candidates (no mDNS names) so the server can reach the browser directly
      '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => log('page:', m.text()));
  page.on('pageerror', (e) => log('page error:', e));
  await page.goto(pageUrl);
  return { context, page };
}
