import { type Engine, isAgentError, openEngine } from '@lunar/agent';
import { isMemoryError } from '@lunar/memory';
import { startOllamaSim } from '@lunar/ollama-sim';
import { parseOllamaHost } from '@lunar/ollama-stream';
import pino, { type Logger } from 'pino';
import { type CliArgs, parseCliArgs, splitOrigins, USAGE } from './cli-args.js';
import { isLunarServerError } from './errors.js';
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
    ...(args.maxParsedBytes === undefined ? {} : { maxParsedBytes: args.maxParsedBytes }),
    origins: [...splitOrigins(env.OLLAMA_ORIGINS === undefined ? [] : [env.OLLAMA_ORIGINS]), ...args.origins],
    ...(token === undefined ? {} : { token }),
    warmup: true,
  };
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

/** How long each named Ollama host has to answer at start. */
const START_PROBE_MS = 1_500;

/**
 * The engine, by Lunar's rule (`openEngine`): the hosts named with `--ollama-host`, used even when
 * none answers yet (the server starts, says so, and `/readyz` answers 503 until one does: an
 * Ollama may start after the server, or restart); with none named, Ollama at `OLLAMA_HOST` (or
 * its default address), else the simulator (`seed` profile) in this process.
 */
async function startEngine(args: CliArgs, env: NodeJS.ProcessEnv, log: Logger): Promise<Engine> {
  const named = args.ollamaHosts.map((url, index) => parseOllamaHost(url, `--ollama-host #${index + 1}`));
  const defaultHost = env.OLLAMA_HOST?.trim();
  const engine = await openEngine({
    ...(named.length === 0 ? {} : { hosts: named, hostsFrom: '--ollama-host' }),
    ...(defaultHost === undefined || defaultHost === '' ? {} : { defaultHost }),
    whenUnreachable: 'keep',
    probeTimeoutMs: START_PROBE_MS,
    simulator: () => startOllamaSim({ profile: 'seed' }),
  });
  const answered = engine.probes.filter((probe) => probe.ok);
  if (engine.kind === 'simulator') {
    const [refused] = engine.probes;
    log.warn(
      `no Ollama answered at ${refused?.host} (${refused?.error?.message}): serving with the built-in Ollama simulator at ${engine.hosts[0]} (seed profile: scripted answers, not a real model). Start Ollama or pass --ollama-host to use a real one.`,
    );
  } else if (answered.length === 0) {
    const reasons = engine.probes.map((probe) => probe.error?.message).join(' ');
    log.warn(`no Ollama host answers yet: ${reasons} Starting anyway: /readyz answers 503 until one does.`);
  } else if (named.length === 0) {
    log.info(`using Ollama ${answered[0]!.version} at ${answered[0]!.host}`);
  }
  return engine;
}

/**
 * `lunar-server`: parses the flags, picks the engine, serves until SIGTERM/SIGINT, then drains.
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
  let engine: Engine | undefined;
  try {
    // Options are checked (token rule included) before anything is probed or started.
    const { replicaId } = checkServerOptions(serverOptions(args, undefined, io.env));
    log = root.child({ replica: replicaId });
    engine = await startEngine(args, io.env, log);
    // The server adds the replica id to the lines it logs itself. It makes its own client for the
    // engine's hosts, with the connections and deadlines of the flags.
    server = await startServer({
      ...serverOptions(args, engine.hosts, io.env),
      replicaId,
      logger: root,
    });
  } catch (error) {
    await engine?.close();
    const known =
      isLunarServerError(error) || error instanceof TypeError || isMemoryError(error) || isAgentError(error);
    log.fatal(known ? (error as Error).message : { err: error }, 'lunar-server could not start');
    return 1;
  }
  const shared = server.options.redis === undefined ? {} : { redis: withoutPassword(server.options.redis) };
  log.info(
    { url: server.url, ollamaHosts: engine.hosts, ...shared },
    `lunar-server listening on ${server.url}`,
  );
  const signal = await io.stopRequested;
  log.info(
    `${signal}: shutting down, letting requests in flight finish (up to ${server.options.graceMs} ms)`,
  );
  await server.close();
  await engine.close();
  log.info('lunar-server stopped');
  return 0;
}
