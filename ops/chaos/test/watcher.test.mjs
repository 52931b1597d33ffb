// The fleet's view of a session live twice, from a small HTTP server playing /tasks and two workers' /health.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { FleetWatcher } from '../lib/watcher.mjs';

async function fleet() {
  const state = { tasks: [], active: { 'worker-1': 0, 'worker-2': 0 } };
  const server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    const w = /^\/(worker-\d)\/health$/.exec(req.url)?.[1];
    if (req.url === '/tasks') res.end(JSON.stringify({ tasks: state.tasks }));
    else if (w && state.down === w) req.socket.destroy();
    else if (w) res.end(JSON.stringify({ status: 'healthy', active_sessions: state.active[w], worker_id: w }));
    else { res.statusCode = 404; res.end('{}'); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const stack = { workers: () => ['worker-1', 'worker-2'], url: (w) => `${base}/${w}` };
  let t = 0;
  const watcher = new FleetWatcher({ stack, apis: () => [base], clock: () => (t += 500) });
  return { state, watcher, close: () => new Promise((r) => server.close(r)) };
}

const task = (id, room, status, worker) => ({ task_id: id, room_name: room, status, worker_id: worker, attempts: 1 });

test('a task that moved while its old worker still runs the session is a zombie: live twice', async () => {
  const { state, watcher, close } = await fleet();
  try {
    state.tasks = [task('t1', 'r1', 'running', 'worker-1')];
    state.active['worker-1'] = 1;
    await watcher.poll();
    // worker-1 is cut from Redis: its task is replayed on worker-2, but worker-1 keeps streaming
    state.tasks = [task('t1', 'r1', 'running', 'worker-2')];
    state.active['worker-2'] = 1;
    await watcher.poll();
    assert.equal(watcher.twice.length, 0, 'one poll is not enough (a session may be ending)');
    await watcher.poll();
    assert.equal(watcher.twice.length, 1);
    assert.match(watcher.twice[0].kind, /zombie: worker-1/);
    await watcher.poll();
    assert.equal(watcher.twice.length, 1, 'reported once');
  } finally {
    await close();
  }
});

test('a task that moved after its old worker stopped the session is not twice', async () => {
  const { state, watcher, close } = await fleet();
  try {
    state.tasks = [task('t1', 'r1', 'running', 'worker-1')];
    state.active['worker-1'] = 1;
    await watcher.poll();
    state.tasks = [task('t1', 'r1', 'running', 'worker-2')];
    state.active = { 'worker-1': 0, 'worker-2': 1 };
    for (let i = 0; i < 3; i++) await watcher.poll();
    assert.deepEqual(watcher.twice, []);
    assert.deepEqual(watcher.tasks.get('t1').history.map((h) => h.worker), ['worker-1', 'worker-2']);
  } finally {
    await close();
  }
});

test('a task that left a worker before that worker was restarted is not that worker\'s zombie', async () => {
  const { state, watcher, close } = await fleet();
  try {
    state.tasks = [task('t1', 'r1', 'running', 'worker-1')];
    state.active['worker-1'] = 1;
    await watcher.poll();
    // worker-1 killed: t1 moves to worker-2; worker-1 comes back and later runs another session, t2
    state.down = 'worker-1';
    state.tasks = [task('t1', 'r1', 'running', 'worker-2')];
    state.active = { 'worker-1': 0, 'worker-2': 1 };
    await watcher.poll();
    state.down = null;
    state.tasks = [task('t1', 'r1', 'running', 'worker-2'), task('t2', 'r2', 'running', 'worker-1')];
    state.active = { 'worker-1': 1, 'worker-2': 1 };
    await watcher.poll();
    // worker-1 is cut: t2 is pending again while its session plays on; t1 has nothing to do with it
    state.tasks = [task('t1', 'r1', 'running', 'worker-2'), task('t2', 'r2', 'pending', null)];
    for (let i = 0; i < 3; i++) await watcher.poll();
    assert.deepEqual(watcher.twice, []);
  } finally {
    await close();
  }
});

test('two tasks of one room running at once are twice', async () => {
  const { state, watcher, close } = await fleet();
  try {
    state.tasks = [task('t1', 'r1', 'running', 'worker-1'), task('t2', 'r1', 'running', 'worker-2'),
      task('t3', 'r2', 'running', 'worker-2')];
    state.active = { 'worker-1': 1, 'worker-2': 2 };
    await watcher.poll();
    assert.deepEqual(watcher.twice.map((e) => [e.room, e.tasks]), [['r1', ['t1', 't2']]]);
  } finally {
    await close();
  }
});
