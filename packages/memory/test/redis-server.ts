import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The approach of @lunar/llm-cache-redis's test fixture (a real redis-server on a free loopback
// port, killed and restarted by the test), without a Redis client: readiness is a raw PING.

/** Where Debian's redis-server package puts it; `REDIS_SERVER` overrides. */
export const REDIS_SERVER_BINARY = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/**
 * Whether the tests against a real Redis can run here. Where there is none (a machine with only
 * Node and npm) they are left out with a notice, unless `LUNAR_REQUIRE_SYSTEM_DEPS=1` (CI), where
 * a missing redis-server fails the file.
 */
export function redisServerAvailable(suite: string): boolean {
  if (existsSync(REDIS_SERVER_BINARY)) return true;
  const message = `redis-server not found at ${REDIS_SERVER_BINARY}: install it (apt-get install redis-server) or set REDIS_SERVER`;
  if (process.env.LUNAR_REQUIRE_SYSTEM_DEPS === '1') throw new Error(message);
  console.warn(`[@lunar/memory] ${message}; ${suite} is left out.`);
  return false;
}

/** A real redis-server on a free loopback port, without persistence, that a test can kill and restart. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: the server dies at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lunar-memory-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, dir);
  const killChild = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: killChild,
    async restart() {
      await killChild();
      child = await launch(port, dir);
    },
    async stop() {
      await killChild();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(
    REDIS_SERVER_BINARY,
    [...args, '--dir', dir, '--loglevel', 'warning', '--logfile', ''],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}:\n${output}`)));
    child.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    // With --loglevel warning nothing is printed on a good start: PING until it answers.
    const poll = async () => {
      while (!settled) {
        if (await pong(port)) {
          settled = true;
          clearTimeout(timer);
          child.removeAllListeners('exit');
          child.removeAllListeners('error');
          resolve(child);
          return;
        }
        await new Promise((wake) => setTimeout(wake, 20));
      }
    };
    void poll();
  });
}

/** True when a Redis on `port` answers `PING` with `+PONG`. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data: Buffer) => {
      reply += data.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
