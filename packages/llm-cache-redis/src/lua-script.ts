import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by its SHA1 (EVALSHA), sent in full (EVAL) only when Redis does not know it yet,
 * e.g. after a restart. Does not touch the client (no `defineCommand` on a client you own).
 */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return client.eval(this.#source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * KEYS: entry, lock. ARGV: token, lock ms, fresh ('1' or '0'). Returns 2 when the answer is already
 * stored (nothing to compute; not asked when fresh), 1 when the lock was taken, 0 when another
 * process holds it.
 */
export const ACQUIRE = new LuaScript(`
if ARGV[3] ~= '1' and redis.call('EXISTS', KEYS[1]) == 1 then return 2 end
if redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
return 0`);

/** KEYS: lock. ARGV: token, channel, message. Deletes the lock only if it is still ours, then tells waiters. */
export const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0`);

/** KEYS: lock. ARGV: token, lock ms. Extends the lock only if it is still ours. */
export const RENEW = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);
