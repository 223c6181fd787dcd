/** Test helpers: a simulator per test, raw HTTP calls and NDJSON reading. */
import { type ClientRequest, request as httpRequest } from 'node:http';
import { afterEach } from 'vitest';
import { type OllamaSim, type OllamaSimOptions, startOllamaSim } from '../src/index.js';

/** The per-request fault header. */
export const FAULT_HEADER_NAME = 'x-ollama-sim-fault';

/** A chat request body with one user message. */
export const chatRequest = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'llama3.2:3b',
  messages: [{ role: 'user', content }],
  ...extra,
});

const running = new Set<OllamaSim>();

/** Starts a simulator on 127.0.0.1:0 that is closed after the test. */
export async function startSim(options: OllamaSimOptions = {}): Promise<OllamaSim> {
  const sim = await startOllamaSim({ host: '127.0.0.1', port: 0, ...options });
  running.add(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all([...running].map((sim) => sim.close()));
  running.clear();
});

export interface RawResponse {
  status: number;
  contentType: string | null;
  text: string;
}

/** POSTs JSON (or a raw string) and reads the whole answer. */
export async function post(
  sim: OllamaSim,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

export async function get(sim: OllamaSim, path: string, method = 'GET'): Promise<RawResponse> {
  const response = await fetch(`${sim.url}${path}`, { method });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

/** Splits an NDJSON body into objects, checking every line ends with a newline. */
export function lines(text: string): Array<Record<string, unknown>> {
  if (text !== '' && !text.endsWith('\n'))
    throw new Error(`NDJSON body does not end with a newline: ${text.slice(-80)}`);
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const last = <T>(items: T[]): T => {
  const item = items.at(-1);
  if (item === undefined) throw new Error('empty list');
  return item;
};

/**
 * Starts a raw streamed POST: `received` fills with lines as they arrive, `firstLine` resolves
 * with the first one, `done` when the body ends (or rejects when the connection breaks), and
 * `destroy()` drops the connection from the client side.
 */
export function openStream(
  sim: OllamaSim,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const received: string[] = [];
  let buffer = '';
  let onFirst: (line: string) => void = () => {};
  const firstLine = new Promise<string>((resolve) => {
    onFirst = resolve;
  });
  let request: ClientRequest | undefined;
  const done = new Promise<void>((resolve, reject) => {
    request = httpRequest(`${sim.url}${path}`, { method: 'POST', headers }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        received.push(...parts);
        if (received[0] !== undefined) onFirst(received[0]);
      });
      response.on('end', () => resolve());
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
  done.catch(() => {});
  return { received, firstLine, done, destroy: () => request?.destroy() };
}
