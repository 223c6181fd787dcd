import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { isAllowedHost } from './allowed-host.js';
import { OllamaProxy } from './ollama-proxy.js';
import type { OllamaProxyOptions } from './options.js';
import { OLLAMA_ROUTES } from './routes.js';

export interface OllamaProxyPluginOptions extends OllamaProxyOptions {
  /** A proxy made beforehand (to read its `inFlight`, or share it); then no other option may be given. */
  proxy?: OllamaProxy;
}

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * A fastify plugin that serves the proxy: Ollama's routes by name (so fastify's route-level hooks
 * and logs name them) and every other path of the plugin's prefix through a catch-all, so routes of
 * your own registered beside it win. The proxy reads request bodies itself (fastify's body limit
 * and parsers do not apply inside the plugin) and writes the answers itself (the reply is hijacked:
 * `onSend` hooks do not see them). A proxy the plugin made is closed when fastify closes.
 */
export async function ollamaProxyPlugin(
  app: FastifyInstance,
  options: OllamaProxyPluginOptions,
): Promise<void> {
  const { proxy: given, ...proxyOptions } = options;
  // fastify adds `prefix` (and older versions other keys) to a plugin's options.
  const { prefix: _prefix, ...rest } = proxyOptions as OllamaProxyOptions & { prefix?: string };
  if (given !== undefined && Object.keys(rest).length > 0) {
    throw new TypeError('Pass either `proxy` or the options of a new proxy, not both');
  }
  const proxy = given ?? new OllamaProxy({ logger: app.log, ...rest });
  if (given === undefined) app.addHook('onClose', () => proxy.close());
  const prefix = app.prefix;

  // Bodies stay in the socket: the proxy reads, parses or streams them on itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const raw = request.raw;
    if (prefix !== '' && raw.url?.startsWith(prefix)) raw.url = raw.url.slice(prefix.length) || '/';
    await proxy.handle(raw, reply.raw);
  };
  for (const [url, methods] of Object.entries(OLLAMA_ROUTES)) {
    app.route({ method: methods as HTTPMethods[], url, handler });
  }
  app.route({ method: METHODS, url: '/*', handler });
}

/**
 * A fastify `onRequest` hook applying Ollama's Host check (`isAllowedHost`) to every route it is
 * added to: 403 with an empty body for a foreign `Host`. For a server listening on loopback without
 * a token: `app.addHook('onRequest', hostCheckHook)`.
 */
export async function hostCheckHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (isAllowedHost(request.headers.host)) return;
  await reply.code(403).header('content-length', 0).send();
}
