import { execFile } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { type SystemProgram, systemProgramAvailable } from './system-program.js';

const run = promisify(execFile);

/**
 * Where PostgreSQL's server programs are: `LUNAR_PG_BIN`, else the newest of Debian's
 * `/usr/lib/postgresql/<version>/bin`, else a directory on PATH holding `pg_ctl`.
 */
export function findPostgresBin(): string | undefined {
  const candidates: string[] = [];
  if (process.env.LUNAR_PG_BIN) candidates.push(process.env.LUNAR_PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debian, version, 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(':').filter(Boolean));
  return candidates.find((dir) => existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb')));
}

/** PostgreSQL's `pg_ctl` (with `initdb` beside it), found by `findPostgresBin`. */
export const POSTGRES: SystemProgram = {
  name: 'PostgreSQL (initdb, pg_ctl)',
  path: join(findPostgresBin() ?? '/usr/lib/postgresql/15/bin', 'pg_ctl'),
  install: 'install it (apt-get install postgresql) or set LUNAR_PG_BIN to the directory holding pg_ctl',
};

/**
 * Whether the tests (or bench) named `suite` can use a real PostgreSQL here: left out with a
 * notice when it is missing, failed under `LUNAR_REQUIRE_SYSTEM_DEPS=1`.
 */
export function postgresAvailable(suite: string): boolean {
  return systemProgramAvailable(POSTGRES, suite);
}

/** A real PostgreSQL server in a temporary directory, on a free loopback port. */
export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  readonly url: string;
  /** Stops it (fast shutdown: sessions are ended) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** initdb refuses to run as root: as root, the server runs as the `postgres` user. */
function asServerUser(bin: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function runAsServer(bin: string, args: string[]): Promise<void> {
  const [file, argv] = asServerUser(bin, args);
  await run(file, argv, { timeout: 60_000 });
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error('PostgreSQL server programs not found');
  const dir = await mkdtemp(join(tmpdir(), 'lunar-postgres-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(group.trim()));
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const port = await freePort();
  await runAsServer(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  // Loopback only, its socket in its own directory; fsync off: a test server's data is thrown away.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const pgCtl = (args: string[]) => runAsServer(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', ...args]);
  const start = async () => {
    try {
      await pgCtl(['-o', serverOptions, 'start']);
    } catch (error) {
      const output = await readFile(log, 'utf8').catch(() => '');
      throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${output}`);
    }
  };
  await start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      await pgCtl(['-m', 'fast', 'stop']);
      await start();
    },
    async stop() {
      await pgCtl(['-m', 'immediate', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
