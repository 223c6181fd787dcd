import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** A bare HTTP server for the cases a well-behaved simulator never produces (malformed lines...). */
export interface RawServer {
  url: string;
  /** Requests received, with their bodies. */
  received: Array<{ method: string; url: string; body: string; headers: IncomingMessage['headers'] }>;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

export async function startRawServer(handler: Handler): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const received: RawServer['received'] = [];
  const server: Server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      received.push({ method: request.method ?? '', url: request.url ?? '', body, headers: request.headers });
      handler(request, response, body);
    });
  });
  server.keepAliveTimeout = 0;
  const state = { connections: 0 };
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Write NDJSON lines as Ollama does, one write per line. */
export function ndjson(response: ServerResponse, lines: string[], end = true): void {
  response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const line of lines) response.write(`${line}\n`);
  if (end) response.end();
}

export const chunkLine = (content: string) =>
  JSON.stringify({
    model: 'm',
    created_at: '2025-01-01T00:00:00Z',
    message: { role: 'assistant', content },
    done: false,
  });

export const finalLine = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    model: 'm',
    created_at: '2025-01-01T00:00:00Z',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    total_duration: 9_000_000,
    load_duration: 1_000_000,
    prompt_eval_count: 5,
    prompt_eval_duration: 2_000_000,
    eval_count: 3,
    eval_duration: 6_000_000,
    ...extra,
  });
