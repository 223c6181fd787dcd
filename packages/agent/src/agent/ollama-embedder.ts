import type { Embedder } from '@lunar/memory';
import type { EmbeddingCache } from '@lunar/memory-cache';
import type { OllamaClient } from '@lunar/ollama-stream';

/** Embeds texts with Ollama's `/api/embed`, one request per batch. */
export function ollamaEmbedder(client: OllamaClient, model: string): Embedder {
  if (typeof model !== 'string' || model === '') {
    throw new TypeError(`ollamaEmbedder: model must be a non-empty string, got ${JSON.stringify(model)}`);
  }
  return {
    async embed(texts, options = {}) {
      const response = await client.embed(
        { model, input: texts },
        options.signal === undefined ? {} : { signal: options.signal },
      );
      return response.embeddings;
    },
  };
}

/** An embedder that asks `inner` only for the texts `cache` does not hold. */
export function cachedEmbedder(inner: Embedder, cache: EmbeddingCache, model: string): Embedder {
  return {
    async embed(texts, options = {}) {
      const vectors = await cache.getOrCompute(
        model,
        texts,
        (missing, { signal }) => inner.embed(missing, signal === undefined ? {} : { signal }),
        options.signal === undefined ? {} : { signal: options.signal },
      );
      return vectors.map((vector) => Array.from(vector));
    },
  };
}
