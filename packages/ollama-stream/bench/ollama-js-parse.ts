/**
 * The rival parser: ollama-js's `parseJSON` (ollama/ollama-js, src/utils.ts, MIT licence,
 * Copyright (c) Ollama), copied from ollama@0.6.4's build with its types added and its
 * `console.warn` on a bad line kept as it is. It reads a web ReadableStream reader, decodes with
 * TextDecoder({stream: true}), splits the text on `\n` and JSON.parses each part.
 */
export interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  releaseLock(): void;
}

export const ollamaJsParseJSON = async function* <T = unknown>(itr: {
  getReader(): ChunkReader;
}): AsyncGenerator<T> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  const reader = itr.getReader();
  while (true) {
    const { done, value: chunk } = await reader.read();
    if (done) {
      reader.releaseLock();
      break;
    }
    buffer += decoder.decode(chunk, { stream: true });
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      try {
        yield JSON.parse(part);
      } catch (_error) {
        console.warn('invalid json: ', part);
      }
    }
  }
  buffer += decoder.decode();
  for (const part of buffer.split('\n').filter((p) => p !== '')) {
    try {
      yield JSON.parse(part);
    } catch (_error) {
      console.warn('invalid json: ', part);
    }
  }
};
