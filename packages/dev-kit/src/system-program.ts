import { existsSync } from 'node:fs';

/** A program the tests need from the system (redis-server, chromium, initdb). */
export interface SystemProgram {
  /** Its name in the notice: `redis-server`. */
  readonly name: string;
  /** Where it is looked for. */
  readonly path: string;
  /** How to get it: `apt-get install redis-server, or set REDIS_SERVER`. */
  readonly install: string;
}

/**
 * Whether `suite` can run here. When `program` is missing, the suite is left out with a notice on
 * stderr, unless `LUNAR_REQUIRE_SYSTEM_DEPS=1` (CI), where this throws and fails the file.
 */
export function systemProgramAvailable(program: SystemProgram, suite: string): boolean {
  if (existsSync(program.path)) return true;
  const message = `${program.name} not found at ${program.path}: ${program.install}`;
  if (process.env.LUNAR_REQUIRE_SYSTEM_DEPS === '1') throw new Error(message);
  console.warn(`${message}; left out: ${suite}.`);
  return false;
}
