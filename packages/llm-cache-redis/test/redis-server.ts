import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';

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
  /** A plain client for looking at the server from the test. */
  admin(): Redis;
}

/** Where Debian's redis-server package puts it; `REDIS_SERVER` overrides. */
export function redisServerBinary(): string {
  const binary = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
  if (!existsSync(binary)) {
    throw new Error(
      `redis-server not found at ${binary}: install the Debian package (apt-get install redis-server) or set REDIS_SERVER`,
    );
  }
  return binary;
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerBinary();
  const dir = await mkdtemp(join(tmpdir(), 'lunar-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(binary, port, dir);
  const admins: Redis[] = [];
  const killChild = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => killChild('SIGKILL'),
    async restart() {
      await killChild('SIGKILL');
      child = await launch(binary, port, dir);
    },
    async stop() {
      for (const admin of admins) admin.disconnect();
      await killChild('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
    admin() {
      const admin = new Redis(port, '127.0.0.1', { lazyConnect: false, maxRetriesPerRequest: 1 });
      admin.on('error', () => {});
      admins.push(admin);
      return admin;
    },
  };
}

function launch(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(binary, [...args, '--dir', dir, '--loglevel', 'warning', '--logfile', ''], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}:\n${output}`)));
    child.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    // With --loglevel warning nothing is printed on a good start: poll with PING until it answers.
    const poll = async () => {
      for (;;) {
        if (child.exitCode !== null) return;
        const probe = new Redis(port, '127.0.0.1', {
          lazyConnect: true,
          retryStrategy: () => null,
          maxRetriesPerRequest: 0,
        });
        probe.on('error', () => {});
        try {
          await probe.connect();
          await probe.ping();
          probe.disconnect();
          clearTimeout(timer);
          child.removeAllListeners('exit');
          child.removeAllListeners('error');
          resolve(child);
          return;
        } catch {
          probe.disconnect();
          await new Promise((wake) => setTimeout(wake, 20));
        }
      }
    };
    void poll();
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

/** Calls of one Redis command since the server started (INFO commandstats), e.g. `get`. */
export async function commandCalls(admin: Redis, command: string): Promise<number> {
  const info = await admin.info('commandstats');
  const match = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(info);
  return match === null ? 0 : Number(match[1]);
}

/** Waits until `condition` holds, looking every 10 ms; fails after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A logger that keeps what it is told. */
export function recordingLogger(): {
  warn(message: string): void;
  info(message: string): void;
  lines: string[];
} {
  const lines: string[] = [];
  return {
    lines,
    warn: (message) => lines.push(`warn ${message}`),
    info: (message) => lines.push(`info ${message}`),
  };
}

/** What a test file gets from {@link useRedisServer}. */
export interface RedisFixture {
  readonly server: RedisServer;
  readonly admin: Redis;
  /** Closes `closable` after the current test. */
  track<T extends { close(): Promise<void> }>(closable: T): T;
}

/**
 * A redis-server for the whole test file, started before its tests (the file fails when there is
 * no redis-server) and stopped after them; what a test tracks is closed after that test.
 */
export function useRedisServer(): RedisFixture {
  const closables: { close(): Promise<void> }[] = [];
  let server: RedisServer | undefined;
  let admin: Redis | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    admin = server.admin();
  });
  afterEach(async () => {
    await Promise.all(closables.splice(0).map((closable) => closable.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get server() {
      if (server === undefined) throw new Error('redis-server has not started');
      return server;
    },
    get admin() {
      if (admin === undefined) throw new Error('redis-server has not started');
      return admin;
    },
    track(closable) {
      closables.push(closable);
      return closable;
    },
  };
}
