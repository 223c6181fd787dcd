/** `startOllamaSim`: the HTTP server, connection tracking, per-request context, and close(). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { monotonicNs, nowNs } from './clock.js';
import { answerCors } from './cors.js';
import { isOllamaSimError, OllamaSimError } from './errors.js';
import { FAULT_HEADER, FaultQueue, parseFaultHeader, validateFaultRule } from './faults.js';
import { handleBlob } from './management/blobs.js';
import { answerUnrouted } from './management/method-rules.js';
import { ModelCatalog } from './model-catalog.js';
import { ModelRunner } from './model-runner.js';
import { parameterRoute } from './openai/routes.js';
import { resolveOptions } from './options.js';
import { readBody } from './read-body.js';
import { readRequestOptions } from './request-options.js';
import { ResponseWriter } from './response-writer.js';
import { ROUTES, routeKey } from './routes.js';
import type { SimState } from './sim-state.js';
import { StatsCounter, WaitQueue } from './stats.js';
import { Timers } from './timers.js';
import { loadTokenizer } from './tokenizer.js';
import type { FaultRule, OllamaSim, OllamaSimOptions, OllamaSimStats } from './types.js';

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts an Ollama-compatible server. Resolves once it listens. */
export async function startOllamaSim(options: OllamaSimOptions = {}): Promise<OllamaSim> {
  const config = resolveOptions(options);
  // The tokenizer's tables load now (once per process), not during the first request's timing.
  loadTokenizer();
  const stats = new StatsCounter();
  const timers = new Timers();
  const queue = new WaitQueue(config.maxQueue);
  const faults = new FaultQueue();
  for (const rule of config.faults) faults.add(rule);
  const closedController = new AbortController();
  const catalog = new ModelCatalog(config.models);
  const runners = new Map(
    config.models.map((model) => [
      model.name,
      new ModelRunner(model, {
        timers,
        stats,
        queue,
        closed: closedController.signal,
        defaultKeepAliveMs: config.keepAliveMs,
      }),
    ]),
  );
  const sim: SimState = {
    catalog,
    runners,
    stats,
    timers,
    script: config.script,
    defaultKeepAliveMs: config.keepAliveMs,
    version: config.version,
    startedAtNs: nowNs(),
  };
  const sockets = new Set<Socket>();
  const active = new Set<AbortController>();
  let closing: Promise<void> | undefined;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startNs = monotonicNs();
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    stats.countRequest(routeKey(path));
    const controller = new AbortController();
    active.add(controller);
    let writer = new ResponseWriter(response, undefined, timers, controller.signal);
    let isGeneration = false;
    let clientGone = false;
    response.on('close', () => {
      if (!response.writableFinished && !writer.droppedByFault && closing === undefined) {
        clientGone = true;
        controller.abort(new OllamaSimError('OLLAMA_SIM_CLIENT_GONE', 'the client closed the connection'));
      }
    });
    try {
      if (answerCors(request, response) || (await handleBlob(sim, request, response, path))) return;
      const handler =
        ROUTES[path]?.[request.method ?? 'GET'] ?? parameterRoute(request.method ?? 'GET', path);
      if (handler === undefined) {
        request.resume();
        answerUnrouted(ROUTES, path, response);
        return;
      }
      const header = request.headers[FAULT_HEADER];
      const fault = typeof header === 'string' ? parseFaultHeader(header) : faults.take(path);
      if (fault?.type === 'status') {
        request.resume();
        writer.error(fault.status, fault.message ?? `simulated fault: HTTP ${fault.status}`);
        return;
      }
      writer = new ResponseWriter(response, fault, timers, controller.signal);
      const body =
        request.method === 'POST' || request.method === 'DELETE'
          ? await readBody(request, config.maxBodyBytes, controller.signal)
          : '';
      await handler({
        sim,
        writer,
        signal: controller.signal,
        startNs,
        body,
        markGeneration() {
          if (isGeneration) return;
          isGeneration = true;
          stats.generationsInFlight++;
        },
      });
    } catch (error) {
      if (clientGone) {
        if (isGeneration) stats.clientDisconnects++;
      } else if (closing === undefined) {
        const status = isOllamaSimError(error, 'OLLAMA_SIM_HTTP') ? (error.status ?? 500) : 500;
        writer.error(status, error instanceof Error ? error.message : String(error));
      }
    } finally {
      if (isGeneration) stats.generationsInFlight--;
      active.delete(controller);
    }
  }

  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    void handle(request, response);
  });
  server.on('connection', (socket: Socket) => {
    stats.connectionsOpened++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new OllamaSimError(
          'OLLAMA_SIM_LISTEN',
          `cannot listen on ${config.host}:${config.port}: ${error.message}`,
          {
            cause: error,
            host: config.host,
            port: config.port,
          },
        ),
      );
    };
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const defaultLoadKey = readRequestOptions(undefined).loadKey;
  for (const name of config.preload) runners.get(name)?.preload(defaultLoadKey);

  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      const reason = new OllamaSimError('OLLAMA_SIM_CLOSED', 'the simulator closed');
      server.close(() => resolve());
      closedController.abort(reason);
      for (const controller of active) controller.abort(reason);
      for (const runner of runners.values()) runner.dispose(reason);
      for (const socket of sockets) socket.destroy();
      timers.close();
    });
    return closing;
  }
  config.signal?.addEventListener('abort', () => void close(), { once: true });
  if (config.signal?.aborted) await close();

  return {
    url: `http://${urlHost(config.host)}:${port}`,
    port,
    host: config.host,
    stats(): OllamaSimStats {
      return {
        requests: { ...stats.requests },
        connectionsOpened: stats.connectionsOpened,
        connectionsOpen: sockets.size,
        generationsInFlight: stats.generationsInFlight,
        queued: queue.queued,
        loadedModels: [...runners.values()]
          .filter((runner) => runner.loaded)
          .map((runner) => runner.model.name),
        modelLoads: stats.modelLoads,
        tokensGenerated: stats.tokensGenerated,
        promptTokensEvaluated: stats.promptTokensEvaluated,
        promptTokensCached: stats.promptTokensCached,
        clientDisconnects: stats.clientDisconnects,
        rejectedBusy: stats.rejectedBusy,
        timersPending: timers.size,
      };
    },
    resetStats(): void {
      stats.reset();
    },
    injectFault(rule: FaultRule): void {
      faults.add(validateFaultRule(rule, 'rule'));
    },
    clearFaults(): void {
      faults.clear();
    },
    close,
  };
}
