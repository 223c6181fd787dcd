import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The page's folder, `apps/server/ui`: two levels up from `src/routes/` and from `dist/routes/`. */
const UI_FOLDER = new URL('../../ui/', import.meta.url);

const HTML = 'text/html; charset=utf-8';

/** The only paths served, each to one file of the folder: nothing else is ever read from disk. */
const FILES: ReadonlyMap<string, { file: string; type: string }> = new Map([
  ['/ui', { file: 'index.html', type: HTML }],
  ['/ui/', { file: 'index.html', type: HTML }],
  ['/ui/app.js', { file: 'app.js', type: 'text/javascript; charset=utf-8' }],
  ['/ui/style.css', { file: 'style.css', type: 'text/css; charset=utf-8' }],
  ['/ui/icon.svg', { file: 'icon.svg', type: 'image/svg+xml' }],
]);

/** Scripts, styles, images and API calls from this origin only; no inline code, no framing. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/** True for a GET or HEAD of one of the chat page's files. */
export function isUiFile(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  return FILES.has(request.url.split('?', 1)[0]!);
}

type OnRequestHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * Wraps an `onRequest` guard so the chat page's own files pass it: the page must load to ask for
 * the token, and it sends `Authorization: Bearer` itself on its API calls.
 */
export function exceptUiFiles(hook: OnRequestHook): OnRequestHook {
  return async (request, reply) => {
    if (!isUiFile(request)) await hook(request, reply);
  };
}

/** `GET /ui` and its assets: the chat page, read from `apps/server/ui` at each request. */
export async function uiRoutes(app: FastifyInstance) {
  for (const [path, { file, type }] of FILES) {
    app.get(path, async (_request, reply) => {
      const body = await readFile(new URL(file, UI_FOLDER));
      return reply
        .type(type)
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(body);
    });
  }
}
