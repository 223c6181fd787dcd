/** The chat model Lunar uses when none is named: small, fast, and able to call tools. */
export const DEFAULT_MODEL = 'llama3.2:3b';

/** The embedding model memory uses when none is named. */
export const DEFAULT_EMBED_MODEL = 'nomic-embed-text';

/** A short system prompt that fits the default tools (`defaultTools`). */
export const DEFAULT_SYSTEM = [
  'You are Lunar, a helpful assistant running on a local model. Answer briefly and plainly.',
  'Call a tool when a question needs the current time, arithmetic, long-term memory or a file,',
  'and use every tool result in your answer.',
].join(' ');
