import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { redisServerAvailable, startRedisServer } from './redis-server.js';

/** Sends one inline command and returns the first line of the reply. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${line}\r\n`));
    let reply = '';
    socket.once('error', reject);
    socket.on('data', (data: Buffer) => {
      reply += data.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.slice(0, reply.indexOf('\r\n')));
      }
    });
  });
}

describe('freePort', () => {
  it('gives a loopback port a server can listen on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect((server.address() as { port: number }).port).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe.runIf(redisServerAvailable('dev-kit: the redis-server fixture'))('startRedisServer', () => {
  it('starts a real redis-server that a kill empties and a restart brings back on the same port', async () => {
    const redis = await startRedisServer();
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await command(redis.port, 'SET answer 42')).toBe('+OK');
      expect(await command(redis.port, 'GET answer')).toBe('$2');
      await redis.kill();
      await expect(command(redis.port, 'PING')).rejects.toThrow('ECONNREFUSED');
      await redis.restart();
      expect(await command(redis.port, 'GET answer')).toBe('$-1'); // nothing persisted
    } finally {
      await redis.stop();
    }
    await expect(command(redis.port, 'PING')).rejects.toThrow('ECONNREFUSED');
  });
});
