import { once } from 'node:events';
import { connect } from 'node:net';
import { type OllamaSim, type OllamaSimOptions, startOllamaSim } from '@lunar/ollama-sim';
import { expect } from 'vitest';
import { type LunarServer, type ServerOptions, startServer } from '../src/index.js';

export const MODEL = 'llama3.2:3b';

export interface Harness {
  sim: OllamaSim;
  server: LunarServer;
  url: string;
  close(): Promise<void>;
}

/** A `fast` simulator (models preloaded) and a server in front of it, both on port 0. */
export async function startHarness(
  serverOptions: ServerOptions = {},
  simOptions: OllamaSimOptions = {},
): Promise<Harness> {
  const sim = await startOllamaSim({ profile: 'fast', preload: [MODEL, 'nomic-embed-text'], ...simOptions });
  let server: LunarServer;
  try {
    server = await startServer({ ollamaHosts: [sim.url], port: 0, ...serverOptions });
  } catch (error) {
    await sim.close();
    throw error;
  }
  return {
    sim,
    server,
    url: server.url!,
    async close() {
      await server.close({ graceMs: 1_000 });
      await sim.close();
    },
  };
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Parses a whole SSE body: frames split by a blank line, `event:` and `data:` lines. */
export function parseSse(text: string): SseEvent[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => {
      const lines = frame.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      expect(lines.every((line) => line.startsWith('event: ') || line.startsWith('data: '))).toBe(true);
      return { event: event!, data: JSON.parse(data) };
    });
}

export { ndjsonLines, postJson } from '@lunar/dev-kit';

/**
 * A raw connection to the server, for what an HTTP client library would not do: send half a body,
 * stop reading, send a request at a chosen moment. What comes back is kept in `received()`.
 */
export async function rawConnection(url: string) {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  return { socket, received: () => received, closed: once(socket, 'close') };
}

/** The head of a JSON `POST` whose body is `length` bytes, for a raw connection. */
export function postHead(path: string, length: number): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;
}
