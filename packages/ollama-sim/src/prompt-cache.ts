/**
 * llama-server's host-memory prompt cache (`--cache-ram`, on by default with 8 GiB since
 * ggml-org/llama.cpp PR #16391; Ollama v0.30+ starts llama-server without the flag, so it is on),
 * and how llama-server picks a slot for a prompt (tools/server/server-context.cpp
 * `get_available_slot`, tools/server/server-task.cpp `server_prompt_cache::alloc/load/update`):
 *
 * - A free slot whose cached tokens share more than 10 % of the new prompt
 *   (`--slot-prompt-similarity`, default 0.1) is taken, the one sharing the largest fraction
 *   first; otherwise the least recently used free slot.
 * - When the slot was taken by LRU, or keeps less than half of what it holds (`f_keep < 0.5`),
 *   its state is saved to the cache (unless an entry already holds all of it; entries it holds
 *   entirely are dropped), then the entry that would keep more of itself (`f_keep >= 0.25`) and
 *   serve more of the new prompt than the slot's own state is restored into the slot and leaves
 *   the cache.
 * - Past the size limit the oldest entries go first, always keeping one.
 *
 * Saving and restoring copy a slot's KV state between device and host memory: a few ms for the
 * prompts of an agent turn, not modelled here.
 */
import { sharedPrefix } from './shared-prefix.js';

/** `--slot-prompt-similarity`'s default (common/common.h `slot_prompt_similarity`). */
export const SLOT_PROMPT_SIMILARITY = 0.1;

/**
 * Tokens the cache holds by default: about what llama-server's 8 GiB default holds of a 3-8B
 * model's f16 KV cache (llama3.2:3b 112 KiB a token: 75,000 tokens; qwen3:8b 144 KiB: 58,000).
 */
export const DEFAULT_PROMPT_CACHE_TOKENS = 65_536;

export class PromptCache {
  /** Oldest first. */
  readonly #entries: Array<readonly number[]> = [];
  #tokens = 0;

  /** `limitTokens` 0 disables the cache (`--cache-ram 0`, or Ollama before v0.30). */
  constructor(readonly limitTokens: number) {}

  get enabled(): boolean {
    return this.limitTokens > 0;
  }

  /** Tokens held now. */
  get size(): number {
    return this.#tokens;
  }

  /** Saves a slot's tokens (`server_prompt_cache::alloc`), then trims to the limit (`update`). */
  save(tokens: readonly number[]): void {
    if (!this.enabled || tokens.length === 0) return;
    if (this.#entries.some((entry) => sharedPrefix(entry, tokens) === tokens.length)) return;
    for (let index = this.#entries.length - 1; index >= 0; index--) {
      const entry = this.#entries[index]!;
      if (sharedPrefix(entry, tokens) === entry.length) this.#remove(index);
    }
    this.#entries.push(tokens);
    this.#tokens += tokens.length;
    while (this.#entries.length > 1 && this.#tokens > this.limitTokens) this.#remove(0);
  }

  /**
   * The entry to restore into a slot holding `current` for the prompt `prompt`
   * (`server_prompt_cache::load`), taken out of the cache; `undefined` when none beats `current`.
   */
  take(current: readonly number[], prompt: readonly number[]): readonly number[] | undefined {
    if (prompt.length === 0) return undefined;
    const base = sharedPrefix(current, prompt);
    let bestKeep = current.length > 0 ? base / current.length : -1;
    let bestSimilarity = base / prompt.length;
    let best = -1;
    this.#entries.forEach((entry, index) => {
      const shared = sharedPrefix(entry, prompt);
      const keep = shared / entry.length;
      const similarity = shared / prompt.length;
      if (keep < 0.25) return;
      if (bestKeep < keep && bestSimilarity < similarity) {
        bestKeep = keep;
        bestSimilarity = similarity;
        best = index;
      }
    });
    if (best === -1) return undefined;
    const entry = this.#entries[best]!;
    this.#remove(best);
    return entry;
  }

  clear(): void {
    this.#entries.length = 0;
    this.#tokens = 0;
  }

  #remove(index: number): void {
    const [entry] = this.#entries.splice(index, 1);
    this.#tokens -= entry?.length ?? 0;
  }
}

export interface SlotState {
  busy: boolean;
  /** Token ids whose KV cache this slot holds. */
  cache: readonly number[];
  /** When it was last released (a counter), for the LRU choice. */
  lastUsed: number;
}

/**
 * The free slot llama-server gives `prompt` (`get_available_slot`), and whether its state goes
 * through the prompt cache first; `undefined` when every slot is busy.
 */
export function chooseSlot<S extends SlotState>(
  slots: readonly S[],
  prompt: readonly number[],
): { slot: S; updateCache: boolean } | undefined {
  let best: S | undefined;
  let bestSimilarity = 0;
  let bestShared = 0;
  for (const slot of slots) {
    if (slot.busy || slot.cache.length === 0 || prompt.length === 0) continue;
    const shared = sharedPrefix(slot.cache, prompt);
    const similarity = shared / prompt.length;
    if (similarity > bestSimilarity && similarity > SLOT_PROMPT_SIMILARITY) {
      best = slot;
      bestSimilarity = similarity;
      bestShared = shared;
    }
  }
  if (best !== undefined) return { slot: best, updateCache: bestShared / best.cache.length < 0.5 };
  let lru: S | undefined;
  for (const slot of slots) {
    if (!slot.busy && (lru === undefined || slot.lastUsed <= lru.lastUsed)) lru = slot;
  }
  return lru === undefined ? undefined : { slot: lru, updateCache: true };
}
