/** Reads a request body as UTF-8 text, up to a byte limit (past it: 413). */
import type { IncomingMessage } from 'node:http';
import { httpError } from './errors.js';

export function readBody(request: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        request.resume();
        reject(httpError(413, `request body too large: more than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAbort = () => {
      cleanup();
      reject(signal.reason);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
