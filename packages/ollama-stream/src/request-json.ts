import type { Dispatcher } from 'undici';
import { OllamaError } from './errors.js';
import { type ClientContext, exchange, type Outgoing, transportError } from './exchange.js';
import { ERROR_BODY_BYTES, httpError } from './http-error.js';
import { parseJsonBody } from './json-body.js';
import type { RequestScope } from './request-scope.js';
import { TextCollector } from './text-collector.js';

/** A non-streamed call: the whole body (at most `maxBodyBytes`) parsed as JSON, or an OllamaError. */
export function requestJson(
  context: ClientContext,
  outgoing: Outgoing,
  scope: RequestScope,
  model: string | undefined,
  direct?: Dispatcher,
): Promise<{ value: unknown; host: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let host = '';
    let body: TextCollector | undefined;
    let controller: Dispatcher.DispatchController | undefined;
    const ok = () => status >= 200 && status <= 299;
    exchange(
      context,
      outgoing,
      scope,
      {
        start(statusCode, record, requestController) {
          status = statusCode;
          host = record.url;
          controller = requestController;
          scope.deadlines.host = host;
          // Ollama answered: headersMs ends, idleMs runs between body chunks.
          scope.deadlines.chunk(performance.now());
          body = new TextCollector(ok() ? context.options.maxBodyBytes : ERROR_BODY_BYTES);
        },
        data(chunk) {
          scope.deadlines.chunk(performance.now());
          if (body!.push(chunk)) return;
          if (ok()) {
            const limit = context.options.maxBodyBytes;
            const message = `Ollama at ${host} sent a response body larger than maxBodyBytes (${limit} bytes)`;
            controller!.abort(new OllamaError('OLLAMA_PROTOCOL_ERROR', message, { host }));
          } else {
            // Enough of an error body: report it and close the connection.
            const error = httpError(status, body!.text(), host, model);
            controller!.abort(error);
          }
        },
        end() {
          const text = body!.text();
          if (!ok()) {
            reject(httpError(status, text, host, model));
            return;
          }
          try {
            resolve({ value: parseJsonBody(text, host), host });
          } catch (error) {
            reject(error);
          }
        },
        error(error) {
          reject(
            transportError(
              error,
              host || context.upstreams.urls.join(', '),
              'the connection closed before the end of the response',
            ),
          );
        },
      },
      direct,
    );
  });
}
