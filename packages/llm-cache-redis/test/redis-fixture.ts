import { type RedisServer, startRedisServer } from '@lunar/dev-kit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** Calls of one Redis command since the server started (INFO commandstats), e.g. `get`. */
export async function commandCalls(admin: Redis, command: string): Promise<number> {
  const info = await admin.info('commandstats');
  const match = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(info);
  return match === null ? 0 : Number(match[1]);
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
  /** A plain client for looking at the server from the test. */
  readonly admin: Redis;
  /** Closes `closable` after the current test. */
  track<T extends { close(): Promise<void> }>(closable: T): T;
}

/**
 * A real redis-server for the whole test file, started before its tests and stopped after them;
 * what a test tracks is closed after that test. (Without redis-server, vitest.config.ts leaves
 * these files out with a notice.)
 */
export function useRedisServer(): RedisFixture {
  const closables: { close(): Promise<void> }[] = [];
  let server: RedisServer | undefined;
  let admin: Redis | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    admin.on('error', () => {});
  });
  afterEach(async () => {
    await Promise.all(closables.splice(0).map((closable) => closable.close()));
  });
  afterAll(async () => {
    admin?.disconnect();
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
