/**
 * Ollama's answer to a route it does not serve (gin with `HandleMethodNotAllowed`): a known path
 * asked with another method is `405 method not allowed` with `Allow`, anything else `404 page not
 * found`, both text/plain.
 */
import type { ServerResponse } from 'node:http';
import { isBlobPath } from './blobs.js';

export function answerUnrouted(
  routes: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  path: string,
  response: ServerResponse,
): void {
  const methods = Object.hasOwn(routes, path)
    ? Object.keys(routes[path]!)
    : isBlobPath(path)
      ? ['HEAD', 'POST']
      : /^\/v1\/models\/[^/]+$/.test(path)
        ? ['GET']
        : [];
  if (methods.length === 0) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
    return;
  }
  response
    .writeHead(405, { 'Content-Type': 'text/plain', Allow: methods.join(', ') })
    .end('405 method not allowed');
}
