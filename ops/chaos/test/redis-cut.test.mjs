// The cut pipe against a real TCP echo server on 127.0.0.1: it forwards, holds everything while cut (the connection
// stays open, nothing answers), lets the held bytes through on heal, and passes a server's close on to the client.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { RedisCut } from '../lib/redis-cut.mjs';

const listen = (server) => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)));

async function setup() {
  const sockets = new Set();
  const echo = net.createServer((s) => {
    sockets.add(s);
    s.on('data', (b) => s.write(b));
    s.on('error', () => {});
  });
  const upstreamPort = await listen(echo);
  const probe = net.createServer();
  const port = await listen(probe);
  await new Promise((r) => probe.close(r));
  const cut = await new RedisCut({ host: '127.0.0.1', port, upstreamHost: '127.0.0.1', upstreamPort }).listen();
  const client = net.connect(port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  const received = [];
  client.on('data', (b) => received.push(b.toString()));
  const teardown = async () => {
    client.destroy();
    await cut.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => echo.close(r));
  };
  return { cut, client, received, sockets, teardown };
}

const until = async (cond, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
};

test('forwards both ways, holds while cut, delivers the held bytes on heal', async () => {
  const { cut, client, received, teardown } = await setup();
  try {
    client.write('PING1');
    assert.ok(await until(() => received.join('') === 'PING1'));
    cut.blackhole();
    client.write('PING2');
    assert.equal(await until(() => received.join('').includes('PING2'), 400), false, 'nothing may pass while cut');
    assert.equal(client.destroyed, false, 'the connection stays open while cut');
    cut.heal();
    assert.ok(await until(() => received.join('') === 'PING1PING2'));
  } finally {
    await teardown();
  }
});

test('a connection opened while cut is accepted and hears nothing until heal', async () => {
  const { cut, teardown } = await setup();
  try {
    cut.blackhole();
    const late = net.connect(cut.o.port, '127.0.0.1');
    const got = [];
    late.on('data', (b) => got.push(b.toString()));
    await new Promise((r) => late.once('connect', r));
    late.write('HELLO');
    assert.equal(await until(() => got.length > 0, 400), false);
    cut.heal();
    assert.ok(await until(() => got.join('') === 'HELLO'));
    late.destroy();
  } finally {
    await teardown();
  }
});

test('the server side closing closes the client side (redis-server killed)', async () => {
  const { client, sockets, teardown } = await setup();
  try {
    const closed = new Promise((r) => client.once('close', r));
    client.on('error', () => {});
    assert.ok(await until(() => sockets.size === 1), 'the pipe connects upstream');
    for (const s of sockets) s.destroy();
    await closed;
  } finally {
    await teardown();
  }
});
