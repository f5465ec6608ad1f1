// A behaviour's ordinary requests share keep-alive connections (lessons on
// node:http): one after another they take one connection, sent at once they
// take one each, and a connection the server closed or spoilt meanwhile costs
// a request nothing but a new connection. A time-out is never sent again.
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { TimeoutError } from '../../grader/engine/deadline.ts';
import { KeptConnections, sendHttp } from '../../grader/engine/http-client.ts';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Starts `server` on a free loopback port; counts the connections it accepts. */
async function listening<T extends net.Server>(server: T): Promise<{ port: number; connections: () => number; server: T }> {
  let accepted = 0;
  server.on('connection', () => accepted++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, connections: () => accepted, server };
}

/** A node:http server that answers each request with its path and how many requests its connection carried. */
function nodeHttp(handle?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
  const served = new WeakMap<net.Socket, number>();
  return http.createServer((req, res) => {
    if (handle?.(req, res)) return;
    const count = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, count);
    res.end(`${req.url} #${count}`);
  });
}

/** A raw server that answers each request (no body) with `answer(n, m)`: the nth request of all, the mth of its connection. */
function raw(answer: (n: number, m: number, socket: net.Socket) => void) {
  let n = 0;
  return net.createServer((socket) => {
    let m = 0;
    socket.on('data', (data) => {
      for (let i = data.indexOf('\r\n\r\n'); i !== -1; i = data.indexOf('\r\n\r\n', i + 4)) answer(++n, ++m, socket);
    });
    socket.on('error', () => {});
  });
}

const ok = (text: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}\r\n${text}`;

describe('kept connections', () => {
  test('requests one after another share one connection; without kept connections each has its own', async () => {
    const { port, connections } = await listening(nodeHttp());
    const kept = new KeptConnections();
    const texts = [];
    for (const path of ['/a', '/b', '/c']) texts.push((await sendHttp('127.0.0.1', port, { path }, kept)).text);
    await kept.close();
    expect(texts).toEqual(['/a #1', '/b #2', '/c #3']);
    expect(connections()).toBe(1);
    for (const path of ['/d', '/e']) expect((await sendHttp('127.0.0.1', port, { path })).text).toBe(`${path} #1`);
    expect(connections()).toBe(3);
  });

  test('requests sent at once each take a connection of their own', async () => {
    // Each answer waits until all three requests arrived: on one shared connection they never would.
    const waiting: (() => void)[] = [];
    const { port, connections } = await listening(
      nodeHttp((req, res) => {
        waiting.push(() => res.end(req.url));
        if (waiting.length === 3) for (const answer of waiting) answer();
        return true;
      }),
    );
    const kept = new KeptConnections();
    const texts = await Promise.all(['/1', '/2', '/3'].map((path) => sendHttp('127.0.0.1', port, { path, timeoutMs: 2000 }, kept).then((r) => r.text)));
    await kept.close();
    expect(texts).toEqual(['/1', '/2', '/3']);
    expect(connections()).toBe(3);
  });

  test('a request that finds its kept connection closing is sent again on a new one, as a browser does', async () => {
    // Each connection answers its first request and drops its second unanswered,
    // as a server whose keep-alive time ran out just as the request came.
    const { port, connections } = await listening(raw((n, m, socket) => (m === 1 ? socket.write(ok(`answer ${n}`)) : socket.destroy())));
    const kept = new KeptConnections();
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await sendHttp('127.0.0.1', port, { path: '/' }, kept)).text);
    await kept.close();
    expect(texts).toEqual(['answer 1', 'answer 3', 'answer 5']);
    expect(connections()).toBe(3);
  });

  test('a connection whose response said Connection: close is not kept: a request after it is sent once', async () => {
    // The first answer says close (and closes); the next connection is dropped unanswered.
    const { port, connections } = await listening(raw((n, _m, socket) => (n === 1 ? socket.end(ok('bye', 'Connection: close\r\n')) : socket.destroy())));
    const kept = new KeptConnections();
    expect((await sendHttp('127.0.0.1', port, { path: '/' }, kept)).text).toBe('bye');
    await expect(sendHttp('127.0.0.1', port, { path: '/' }, kept)).rejects.toThrow();
    await kept.close();
    expect(connections()).toBe(2);
  });

  test('a kept connection the server closed while idle, or spoilt with bytes after its answer, is replaced', async () => {
    // The first connection's answer is followed by a close that announces nothing; the second's by stray bytes.
    const { port, connections } = await listening(
      raw((n, _m, socket) => {
        if (n === 1) setTimeout(() => socket.end(), 0).unref();
        socket.write(ok(`answer ${n}`) + (n === 2 ? 'HTTP/1.1 500 Stray\r\nContent-Length: 0\r\n\r\n' : ''));
      }),
    );
    const kept = new KeptConnections();
    const texts = [];
    for (let i = 0; i < 3; i++) {
      texts.push((await sendHttp('127.0.0.1', port, { path: '/' }, kept)).text);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await kept.close();
    expect(texts).toEqual(['answer 1', 'answer 2', 'answer 3']);
    expect(connections()).toBe(3);
  });

  test('a request that times out on a kept connection fails as a time-out, once', async () => {
    // Answers the first request of each connection, and never the second.
    const { port, connections } = await listening(raw((_n, m, socket) => m === 1 && socket.write(ok('first'))));
    const kept = new KeptConnections();
    expect((await sendHttp('127.0.0.1', port, { path: '/' }, kept)).text).toBe('first');
    const started = performance.now();
    const error = await sendHttp('127.0.0.1', port, { path: '/', timeoutMs: 300 }, kept).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(connections()).toBe(1);
    await kept.close();
  });

  test('close() ends the kept connections, and a connection kept after it is ended at once', async () => {
    const { port, server } = await listening(nodeHttp());
    const open = new Set<net.Socket>();
    server.on('connection', (socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    const kept = new KeptConnections();
    await sendHttp('127.0.0.1', port, { path: '/' }, kept);
    expect(open.size).toBe(1);
    const late = sendHttp('127.0.0.1', port, { path: '/late' }, kept);
    await kept.close();
    await late;
    const deadline = Date.now() + 2000;
    while (open.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(open.size).toBe(0);
  });
});
