import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { type SystemProgram, systemProgramAvailable } from './system-program.js';
import { waitFor } from './wait-for.js';

/** redis-server where Debian's package puts it; the `REDIS_SERVER` variable overrides. */
export const REDIS_SERVER: SystemProgram = {
  name: 'redis-server',
  path: process.env.REDIS_SERVER ?? '/usr/bin/redis-server',
  install: 'install it (apt-get install redis-server) or set REDIS_SERVER',
};

/**
 * Whether the tests (or bench) named `suite` can use a real Redis here: left out with a notice
 * when redis-server is missing, failed under `LUNAR_REQUIRE_SYSTEM_DEPS=1`.
 */
export function redisServerAvailable(suite: string): boolean {
  return systemProgramAvailable(REDIS_SERVER, suite);
}

/** A real redis-server on a free loopback port, without persistence, that a test can kill and restart. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** SIGKILL: the server dies at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (nothing is persisted). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1 and a free port; resolves once it answers PING (10 s at most). */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lunar-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, dir);
  const kill = async () => {
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
    kill,
    async restart() {
      await kill();
      child = await launch(port, dir);
    },
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(REDIS_SERVER.path, [...args, '--dir', dir, '--loglevel', 'warning', '--logfile', ''], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  let failure: Error | undefined;
  child.once('error', (error) => {
    failure = error;
  });
  child.once('exit', (code) => {
    failure ??= new Error(`redis-server exited with ${code}:\n${output}`);
  });
  try {
    // With --loglevel warning nothing is printed on a good start: PING until it answers.
    await waitFor(
      async () => {
        if (failure !== undefined) throw failure;
        return pong(port);
      },
      { timeoutMs: 10_000, intervalMs: 20, message: `redis-server answering PING on port ${port}` },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  return child;
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
