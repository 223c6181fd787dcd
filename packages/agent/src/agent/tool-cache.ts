import { type AnyTool, defineTool, type ToolContext } from '@lunar/tools-parallel';
import { LRUCache } from 'lru-cache';
import { stableJson } from './stable-json.js';

/**
 * Results of read-only tools the user marked cacheable, kept for their TTL: the same tool with
 * the same arguments within the TTL is answered without running it. Bounded (`max` entries).
 */
export class ToolResultCache {
  readonly #results: LRUCache<string, { value: unknown }>;
  /**
   * Call ids served from the cache, read (and forgotten) by the turn that made them. Bounded: ids a
   * turn never read (it was aborted) age out.
   */
  readonly #served = new LRUCache<string, true>({ max: 10_000 });
  /** Names of the tools wrapped. */
  readonly #cacheable = new Set<string>();

  constructor(max = 1_000) {
    this.#results = new LRUCache({ max });
  }

  /** A copy of `tool` whose results are cached for `ttlMs`. */
  wrap(tool: AnyTool, ttlMs: number): AnyTool {
    if (!tool.readOnly) {
      throw new TypeError(`cacheableTools: ${tool.name} is not readOnly; only read-only tools can be cached`);
    }
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new TypeError(`cacheableTools.${tool.name} must be a TTL in ms above 0, got ${String(ttlMs)}`);
    }
    this.#cacheable.add(tool.name);
    return defineTool({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
      readOnly: true,
      ...(tool.timeoutMs === undefined ? {} : { timeoutMs: tool.timeoutMs }),
      execute: async (args: unknown, context: ToolContext) => {
        const key = `${tool.name}\u0000${stableJson(args)}`;
        const found = this.#results.get(key);
        if (found) {
          this.#served.set(context.callId, true);
          return found.value;
        }
        const value = await tool.execute(args, context);
        this.#results.set(key, { value }, { ttl: ttlMs });
        return value;
      },
    }) as AnyTool;
  }

  /** True (once) when the call was answered from the cache. */
  servedFromCache(callId: string): boolean {
    return this.#served.delete(callId);
  }

  /** True when `name` is a tool whose results this cache keeps. */
  caches(name: string): boolean {
    return this.#cacheable.has(name);
  }

  get size(): number {
    return this.#results.size;
  }
}
