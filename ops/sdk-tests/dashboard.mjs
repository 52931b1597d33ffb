// The operators' dashboard (GET / on an API node) in headless Debian Chromium, driven by playwright-core; run by
// api's DashboardBrowserTest against a real API node. Prints one line per step on stdout; the test answers
// "page-loaded" by changing the fleet (a second worker, a second task), which the page must show without a reload.
//   DASHBOARD_URL=http://127.0.0.1:PORT/ FIRST_TASK=id WORKER=worker-1 NEW_WORKER=worker-2 SCREENSHOT=out.png node dashboard.mjs
// Exits 0 when every step passed, 1 with the failed step on stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPage } from './chromium.mjs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const url = env('DASHBOARD_URL');
const firstTask = env('FIRST_TASK');
const worker = env('WORKER');
const newWorker = env('NEW_WORKER');
const newRoom = env('NEW_ROOM');
const screenshot = process.env.SCREENSHOT;
// why: bounded waits, so a page that never updates fails the test instead of hanging it
const WAIT = { timeout: 20000 };

const profile = mkdtempSync(join(tmpdir(), 'dashboard-'));
let context;
try {
  const opened = await openPage(profile, url, (...a) => console.error(...a));
  context = opened.context;
  const page = opened.page;

  await page.waitForSelector(`#workers tr[data-worker="${worker}"]`, WAIT);
  await page.waitForSelector(`#task-rows tr[data-task="${firstTask}"]`, WAIT);
  await page.waitForFunction(() => document.getElementById('live').textContent === 'live', null, WAIT);
  console.log('page-loaded');

  // live: the test adds a worker and a task now; both appear through GET /events
  await page.waitForSelector(`#workers tr[data-worker="${newWorker}"]`, WAIT);
  const newRow = await page.waitForSelector(`#task-rows tr:has(td:text-is("${newRoom}"))`, WAIT);
  const newTask = await newRow.getAttribute('data-task');
  console.log('live-update ' + newTask);

  // filters: only the new room's task is left
  await page.fill('#f-room', newRoom);
  await page.dispatchEvent('#f-room', 'change');
  await page.waitForFunction(([first]) => !document.querySelector(`#task-rows tr[data-task="${first}"]`), [firstTask], WAIT);
  await page.waitForSelector(`#task-rows tr[data-task="${newTask}"]`, WAIT);
  console.log('filtered');

  // stop: the button ends the task and its row shows it, again through the stream
  await page.click(`#task-rows tr[data-task="${newTask}"] button[data-action="stop"]`);
  await page.waitForSelector(`#task-rows tr[data-task="${newTask}"] .state.cancelled`, WAIT);
  console.log('stopped ' + newTask);

  // replay: the ended task's row offers replay (the node's /openapi documents it); the task is pending again
  await page.click(`#task-rows tr[data-task="${newTask}"] button[data-action="replay"]`, WAIT);
  await page.waitForSelector(`#task-rows tr[data-task="${newTask}"] .state.pending`, WAIT);
  console.log('replayed ' + newTask);

  if (screenshot) {
    await page.fill('#f-room', '');
    await page.dispatchEvent('#f-room', 'change');
    await page.waitForSelector(`#task-rows tr[data-task="${firstTask}"]`, WAIT);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log('screenshot ' + screenshot);
  }
  console.log('done');
} catch (e) {
  console.error('dashboard check failed: ' + (e && e.stack ? e.stack : e));
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
