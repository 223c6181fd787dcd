import type { HostStats } from '@lunar/ollama-stream';

/** Largest upstream answer read through this path, by default. */
export const RAW_MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface RawAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const pieces: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    for await (const piece of response.body) {
      size += piece.byteLength;
      // Leaving the loop cancels the body, which closes the connection.
      if (size > maxBytes) throw new Error(`the upstream answer exceeds ${maxBytes} bytes`);
      pieces.push(piece);
    }
  }
  return Buffer.concat(pieces);
}

/**
 * Requests the typed client has no method for (the legacy `/api/embeddings`, bodies it cannot
 * key): sent as they came, with fetch, to the hosts in turn (skipping those the client has taken
 * out of rotation), and answered with the upstream's status and body untouched.
 */
export class RawUpstream {
  readonly #hosts: () => HostStats[];
  readonly #maxBodyBytes: number;
  #next = 0;

  constructor(hosts: () => HostStats[], maxBodyBytes = RAW_MAX_BODY_BYTES) {
    this.#hosts = hosts;
    this.#maxBodyBytes = maxBodyBytes;
  }

  async request(method: 'GET' | 'POST', path: string, body: Buffer | undefined, signal: AbortSignal) {
    const all = this.#hosts();
    const up = all.filter((host) => !host.down);
    const pool = up.length > 0 ? up : all;
    const host = pool[this.#next++ % pool.length]!;
    const response = await fetch(`${host.url}${path}`, {
      method,
      signal,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
    const answer: RawAnswer = {
      status: response.status,
      contentType: response.headers.get('content-type') ?? 'application/json; charset=utf-8',
      body: await readCapped(response, this.#maxBodyBytes),
    };
    return answer;
  }
}
