// A TCP pipe between one worker and redis-server that ops/chaos can blackhole: the worker's REDIS_URL points here.
// why: the namespace has no iptables/nft, and a rule there could not single out one of three workers that share
// one address and one uid; a pipe per worker can. cut() is a partition, not a refusal: every connection stays open
// and nothing moves either way (the kernel buffers, the client's own timeouts fire, a connect to the port still
// succeeds and then hears nothing); heal() lets the held bytes through, as TCP does when a link comes back.
import net from 'node:net';

export class RedisCut {
  /** @param {{host: string, port: number, upstreamHost: string, upstreamPort: number}} o */
  constructor(o) {
    this.o = o;
    this.cut = false;
    this.pairs = new Set();
    this.server = net.createServer((client) => this.#accept(client));
  }

  listen() {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => resolve(this));
    });
  }

  get url() {
    return `redis://${this.o.host}:${this.o.port}`;
  }

  #accept(client) {
    const upstream = net.connect(this.o.upstreamPort, this.o.upstreamHost);
    const pair = { client, upstream };
    this.pairs.add(pair);
    // why: a close on one side closes the other, so a redis-server killed with -9 looks to the worker as it would
    // without the pipe: its connections break (a refused connect becomes a connection closed at once)
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on('data', (b) => { if (!upstream.write(b)) client.pause(); });
    upstream.on('data', (b) => { if (!client.write(b)) upstream.pause(); });
    client.on('drain', () => { if (!this.cut) upstream.resume(); });
    upstream.on('drain', () => { if (!this.cut) client.resume(); });
    if (this.cut) this.#hold(pair);
  }

  #hold(pair) {
    pair.client.pause();
    pair.upstream.pause();
  }

  /** Blackholes every connection, open and future, until heal(). */
  blackhole() {
    this.cut = true;
    for (const p of this.pairs) this.#hold(p);
  }

  heal() {
    this.cut = false;
    for (const p of this.pairs) {
      p.client.resume();
      p.upstream.resume();
    }
  }

  close() {
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    this.pairs.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
