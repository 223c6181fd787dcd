/**
 * `HEAD /api/blobs/:digest` (is the blob there?) and `POST /api/blobs/:digest` (upload it), as
 * Ollama's `HeadBlobHandler` and `CreateBlobHandler`: the body is hashed as it streams in and never
 * held (a 1 GB upload takes a few KB), then checked against the digest in the path.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimState } from '../sim-state.js';
import { modelStore } from './model-store.js';

const BLOB_PATH = /^\/api\/blobs\/([^/]*)$/;
const DIGEST = /^sha256[:-]([0-9a-fA-F]{64})$/;

function send(response: ServerResponse, status: number, error?: string): void {
  if (error === undefined) {
    response.writeHead(status, { 'Content-Length': 0 }).end();
    return;
  }
  const body = JSON.stringify({ error });
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** True for the blob routes' path (any method). */
export function isBlobPath(path: string): boolean {
  return BLOB_PATH.test(path);
}

/**
 * Answers `HEAD` or `POST /api/blobs/:digest`; resolves false for any other request, which the
 * router answers. Rejects with the reason when the upload breaks off.
 */
export async function handleBlob(
  sim: SimState,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<boolean> {
  const method = request.method;
  const match = BLOB_PATH.exec(path);
  if (match === null || (method !== 'HEAD' && method !== 'POST')) return false;
  const store = modelStore(sim);
  const param = match[1]!.replace(/%3a/i, ':');
  const digest = DIGEST.exec(param)?.[1]?.toLowerCase();
  if (digest === undefined) {
    request.resume();
    send(response, 400, 'invalid digest format');
    return true;
  }
  const name = `sha256:${digest}`;
  if (method === 'HEAD') {
    send(response, store.hasBlob(name) ? 200 : 404);
    return true;
  }
  if (store.hasBlob(name)) {
    request.resume();
    send(response, 200);
    return true;
  }
  const hash = createHash('sha256');
  for await (const chunk of request) hash.update(chunk as Buffer);
  const got = hash.digest('hex');
  if (got !== digest) {
    send(response, 400, `digest mismatch, expected "${param}", got "sha256:${got}"`);
    return true;
  }
  store.addBlob(name);
  send(response, 201);
  return true;
}
