import type { LLMChunk, LLMRequest } from '../src/index.js';

const sentences = [
  'The deployment finished without errors, but the latency graph shows a spike at 14:02.',
  'Could you check whether the cache in front of the embedding service was warm at that time?',
  'I looked at the logs: the first request after the restart paid the full model load.',
  'Then let us preload the model on start and keep it resident with a negative keep_alive.',
  'Agreed; and add a panel for time to first token per route, so the next regression is obvious.',
];

/** A 20-message chat request of about 8 KB, with tools and sampling options, like an agent turn. */
export function conversation(variant = 0): LLMRequest {
  const messages = Array.from({ length: 20 }, (_, index) => ({
    role: index === 0 ? 'system' : index % 2 === 1 ? 'user' : 'assistant',
    content: `${sentences[index % 5]} ${sentences[(index + 1) % 5]} ${sentences[(index + 2) % 5]} ${sentences[(index + 3) % 5]} (${variant}:${index})`,
  }));
  return {
    model: 'llama3.2:3b',
    messages,
    tools: [
      {
        type: 'function',
        function: {
          name: 'search_logs',
          description: 'Search the service logs',
          parameters: {
            type: 'object',
            required: ['query'],
            properties: { query: { type: 'string' }, since: { type: 'string' } },
          },
        },
      },
    ],
    options: { temperature: 0, num_ctx: 8192, top_k: 40, top_p: 0.9, seed: 42 },
    stream: true,
    keep_alive: '5m',
  };
}

/** The streamed answer to that conversation: `tokens` content chunks and a final chunk. */
export function answerChunks(tokens: number, tokenText = 'word '): LLMChunk[] {
  const chunks: LLMChunk[] = Array.from({ length: tokens }, () => ({
    model: 'llama3.2:3b',
    created_at: '2025-06-01T12:00:00.000000000Z',
    message: { role: 'assistant', content: tokenText },
    done: false,
  }));
  chunks.push({
    model: 'llama3.2:3b',
    created_at: '2025-06-01T12:00:01.000000000Z',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 1_500_000_000,
  });
  return chunks;
}
