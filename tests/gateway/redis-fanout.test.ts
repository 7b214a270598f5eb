import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, afterAll } from 'vitest';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { attachRedisAdapter } from '../../gateway/sockets/redis-adapter.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('socket.io fan-out through the Redis adapter (two servers, real Redis)', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  async function server(): Promise<{ io: Server; port: number }> {
    const http: HttpServer = createServer();
    const io = new Server(http);
    const close = await attachRedisAdapter(io, REDIS_URL);
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    closers.push(async () => {
      await new Promise<void>((r) => io.close(() => r()));
      await close();
    });
    return { io, port: (http.address() as AddressInfo).port };
  }

  it('a room emit on one process reaches a client connected to the other', async () => {
    const a = await server();
    const b = await server();
    const room = `room-${Date.now()}`;
    b.io.on('connection', (s) => s.join(room));
    const client = connect(`http://127.0.0.1:${b.port}`, { transports: ['websocket'], reconnection: false });
    closers.push(async () => {
      client.close();
    });
    await new Promise<void>((r) => client.on('connect', () => r()));
    await new Promise((r) => setTimeout(r, 100));
    const got = new Promise<unknown>((resolve) => client.on('hello', resolve));
    a.io.to(room).emit('hello', { from: 'a' });
    expect(await got).toEqual({ from: 'a' });
  });
});
