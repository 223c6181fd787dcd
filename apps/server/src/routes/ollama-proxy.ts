import type { LLMRoute } from '@lunar/llm-cache';
import type {
  ChatRequest,
  EmbeddingsRequest,
  EmbedRequest,
  GenerateRequest,
  ShowRequest,
} from '@lunar/ollama-stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cacheModeOf } from '../cache-control.js';
import type { ServerContext } from '../context.js';
import { goJson } from '../go-json.js';
import { readProxyBody } from '../proxy-body.js';
import { type ProxyCall, streamCall, wholeCall } from '../proxy-calls.js';
import { rawCall } from '../raw-relay.js';
import { ResponseStream } from '../response-stream.js';
import { errorAnswer } from '../upstream-error.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** What Ollama answers (503) when its queue is full. */
const BUSY_ERROR = 'server busy, please try again.  maximum pending requests exceeded';

/**
 * True, with the 503 sent, when `maxProxied` calls are in flight already. Checked in the same
 * synchronous run as the call's `proxied.enter`, so the limit holds however many arrive at once.
 */
function refusedAsBusy(context: ServerContext, reply: FastifyReply, path: string): boolean {
  if (context.proxied.size < context.options.maxProxied) return false;
  context.metrics.proxyBusy(path);
  reply.code(503).header('retry-after', '1').type(JSON_TYPE).send({ error: BUSY_ERROR });
  return true;
}

type Handler = (call: ProxyCall) => Promise<void>;

/** Handlers of the LLM routes, each through the cache. */
function llmHandlers(context: ServerContext): Record<string, { route: LLMRoute; handle: Handler }> {
  const { client } = context;
  return {
    '/api/chat': {
      route: 'chat',
      handle: (call) => {
        const request = call.request as ChatRequest;
        return request.stream === false
          ? wholeCall(call, (signal) => client.chat({ ...request, stream: false }, { signal }))
          : streamCall(call, (signal) => client.chat({ ...request, stream: true }, { signal }));
      },
    },
    '/api/generate': {
      route: 'generate',
      handle: (call) => {
        const request = call.request as GenerateRequest;
        return request.stream === false
          ? wholeCall(call, (signal) => client.generate({ ...request, stream: false }, { signal }))
          : streamCall(call, (signal) => client.generate({ ...request, stream: true }, { signal }));
      },
    },
    '/api/embed': {
      route: 'embed',
      handle: (call) => wholeCall(call, (signal) => client.embed(call.request as EmbedRequest, { signal })),
    },
    '/api/embeddings': {
      route: 'embeddings',
      handle: (call) =>
        wholeCall(call, (signal) => client.embeddings(call.request as EmbeddingsRequest, { signal })),
    },
  };
}

/** Sends a metadata answer from the typed client, or its failure Ollama-style. */
async function relay(reply: FastifyReply, load: () => Promise<unknown>) {
  reply.header('x-lunar-cache', 'bypass');
  try {
    return reply.type(JSON_TYPE).send(goJson(await load()));
  } catch (error) {
    const answer = errorAnswer(error);
    if (answer.status >= 500) reply.log.warn({ err: error, status: answer.status }, 'proxied call failed');
    return reply.code(answer.status).send({ error: answer.error });
  }
}

/**
 * The Ollama-compatible API, forwarded over the client's pool to the upstream host(s): chat,
 * generate and embeddings through the LLM cache (`x-lunar-cache` on every answer); model metadata
 * passed through. Bodies are read as bytes whatever their content type, as Ollama reads them.
 */
export async function ollamaProxyRoutes(app: FastifyInstance, { context }: { context: ServerContext }) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('x-lunar-cache')) reply.header('x-lunar-cache', 'bypass');
  });

  app.get('/', (_request, reply) => reply.type('text/plain; charset=utf-8').send('Ollama is running'));
  app.get('/api/version', (_request, reply) => relay(reply, () => context.client.version()));
  app.get('/api/tags', (_request, reply) => relay(reply, () => context.client.tags()));
  app.get('/api/ps', (_request, reply) => relay(reply, () => context.client.ps()));

  app.post('/api/show', async (request, reply) => {
    const body = readProxyBody(request.body);
    if (body.kind === 'missing') return reply.code(400).send({ error: 'missing request body' });
    if (body.kind === 'raw') {
      if (refusedAsBusy(context, reply, '/api/show')) return reply;
      return forwardRaw(context, reply, '/api/show', body.bytes);
    }
    return relay(reply, () => context.client.show(body.request as unknown as ShowRequest));
  });

  for (const [path, { route, handle }] of Object.entries(llmHandlers(context))) {
    app.post(path, async (request: FastifyRequest, reply: FastifyReply) => {
      const startedAt = performance.now();
      const body = readProxyBody(request.body);
      if (body.kind === 'missing') return reply.code(400).send({ error: 'missing request body' });
      if (refusedAsBusy(context, reply, path)) return reply;
      if (body.kind === 'raw') return forwardRaw(context, reply, path, body.bytes);
      reply.hijack();
      const out = new ResponseStream(reply.raw);
      const mode = cacheModeOf(request.headers['cache-control']);
      const call = { context, route, request: body.request, mode, out, log: request.log, startedAt };
      await handle(call);
    });
  }
}

/** A body the cache cannot key goes upstream as it came, over the client's pool; the answer is relayed as is. */
function forwardRaw(context: ServerContext, reply: FastifyReply, path: string, bytes: Buffer) {
  reply.hijack();
  const request = { method: 'POST' as const, path, body: bytes };
  return rawCall(context, new ResponseStream(reply.raw), request, reply.log);
}
