import { isMemoryError } from '@lunar/memory';
import pino from 'pino';
import { resolveBackend } from './backend.js';
import { type CliArgs, parseCliArgs, USAGE } from './cli-args.js';
import { LunarServerError } from './errors.js';
import type { ServerOptions } from './options.js';
import { checkServerOptions, type LunarServer, startServer } from './server.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the process is asked to stop (SIGTERM or SIGINT). */
  stopRequested: Promise<string>;
}

function serverOptions(
  args: CliArgs,
  ollamaHosts: string[] | undefined,
  env: NodeJS.ProcessEnv,
): ServerOptions {
  const token =
    env.LUNAR_API_TOKEN === undefined || env.LUNAR_API_TOKEN === '' ? undefined : env.LUNAR_API_TOKEN;
  return {
    ...(ollamaHosts === undefined ? {} : { ollamaHosts }),
    ...(args.connections === undefined ? {} : { connections: args.connections }),
    ...(args.headersTimeoutMs === undefined && args.idleTimeoutMs === undefined
      ? {}
      : {
          timeouts: {
            ...(args.headersTimeoutMs === undefined ? {} : { headersMs: args.headersTimeoutMs }),
            ...(args.idleTimeoutMs === undefined ? {} : { idleMs: args.idleTimeoutMs }),
          },
        }),
    ...(args.models.length > 0 ? { model: args.models[0]!, models: args.models } : {}),
    ...(args.host === undefined ? {} : { host: args.host }),
    ...(args.port === undefined ? {} : { port: args.port }),
    ...(args.embedModel === undefined ? {} : { embedModel: args.embedModel }),
    ...(args.memory === undefined ? {} : { memory: args.memory }),
    ...(args.memoryVectorSearch === undefined ? {} : { memoryVectorSearch: args.memoryVectorSearch }),
    ...(args.memoryThreads === undefined ? {} : { memoryThreads: args.memoryThreads }),
    ...(args.sessionTtlS === undefined ? {} : { sessionTtlMs: args.sessionTtlS * 1000 }),
    ...(args.memoryScope === undefined ? {} : { memoryScope: args.memoryScope }),
    ...(args.redis === undefined ? {} : { redis: args.redis }),
    ...(args.replicaId === undefined ? {} : { replicaId: args.replicaId }),
    ...(args.graceMs === undefined ? {} : { graceMs: args.graceMs }),
    ...(args.maxProxied === undefined ? {} : { maxProxied: args.maxProxied }),
    ...(args.bodyLimit === undefined ? {} : { bodyLimit: args.bodyLimit }),
    ...(args.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: args.requestTimeoutMs }),
    ...(token === undefined ? {} : { token }),
    warmup: true,
  };
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

/**
 * `lunar-server`: parses the flags, picks the backend, serves until SIGTERM/SIGINT, then drains.
 * Resolves to the exit code: 0 after a clean shutdown, 1 when it cannot start, 2 for bad flags.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    io.stderr.write(`lunar-server: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const root = pino(
    { level: args.logLevel, base: { name: 'lunar-server' } },
    pino.destination({ dest: 1, sync: true }),
  );
  let log = root;
  let server: LunarServer | undefined;
  let backend: Awaited<ReturnType<typeof resolveBackend>> | undefined;
  try {
    // Options are checked (token rule included) before anything is probed or started.
    const { replicaId } = checkServerOptions(serverOptions(args, undefined, io.env));
    log = root.child({ replica: replicaId });
    backend = await resolveBackend({ ollamaHosts: args.ollamaHosts, ollamaHost: io.env.OLLAMA_HOST, log });
    // The server adds the replica id to the lines it logs itself.
    server = await startServer({
      ...serverOptions(args, backend.ollamaHosts, io.env),
      replicaId,
      logger: root,
    });
  } catch (error) {
    await backend?.sim?.close();
    const known = error instanceof LunarServerError || error instanceof TypeError || isMemoryError(error);
    log.fatal(known ? (error as Error).message : { err: error }, 'lunar-server could not start');
    return 1;
  }
  const shared = server.options.redis === undefined ? {} : { redis: withoutPassword(server.options.redis) };
  log.info(
    { url: server.url, ollamaHosts: backend.ollamaHosts, ...shared },
    `lunar-server listening on ${server.url}`,
  );
  const signal = await io.stopRequested;
  log.info(
    `${signal}: shutting down, letting requests in flight finish (up to ${server.options.graceMs} ms)`,
  );
  await server.close();
  await backend.sim?.close();
  log.info('lunar-server stopped');
  return 0;
}
