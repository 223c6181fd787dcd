import { parseArgs } from 'node:util';

export const USAGE = `Usage: lunar-server [options]

Agent turns over HTTP and a caching Ollama-compatible proxy.

Options:
  --host <address>      Address to listen on (default 127.0.0.1; another needs LUNAR_API_TOKEN)
  --port <n>            Port to listen on, 0 for any free one (default 8080)
  --ollama-host <url>   An Ollama server; repeat for several (default: OLLAMA_HOST, else
                        http://127.0.0.1:11434, else the built-in simulator)
  --upstream <url>      The former name of --ollama-host, still accepted
  --connections <n>     Connections to each Ollama host: calls at Ollama at once (default 64)
  --headers-timeout-ms <n>
                        How long a call to Ollama may wait for its answer to start (the first
                        token), a free connection and a model load included, in ms; then 504
                        (default 300000; 0: no limit)
  --idle-timeout-ms <n> Longest silence between two chunks of Ollama's answer, in ms; then the
                        answer ends with an error (default 120000; 0: no limit)
  --model <name>        The agent's model (default llama3.2:3b); repeat to let turns pick others
  --embed-model <name>  Embedding model of the memory store (default nomic-embed-text)
  --memory <where>      The memory store: a SQLite file (default :memory:, forgotten at exit), or
                        PostgreSQL shared by several servers: postgres://user@host/db, or
                        "postgres" alone for the PGHOST, PGUSER, PGDATABASE... variables
  --memory-vector-search <pgvector|exact>
                        PostgreSQL: pgvector's HNSW index (default; needs the extension), or
                        exact cosine in SQL, no extension (small stores)
  --memory-threads <n>  SQLite: threads running memory searches off the event loop (default 1)
  --memory-scope <name> The memory scope every turn searches and remembers into, shared by every
                        client (default "default")
  --redis <url>         Share the LLM cache, conversations and memory-cache invalidations with other replicas
                        through this Redis (redis://host:6379; default: none, all in memory)
  --session-ttl <s>     With --redis: seconds a conversation is kept after its last turn (default 86400)
  --replica-id <id>     This replica's name in logs, /healthz and /readyz
                        (default <hostname>-<pid>-<random>)
  --grace-ms <n>        How long shutdown lets requests finish, in ms (default 10000)
  --max-proxied <n>     Proxied Ollama calls at once; past it 503, as a busy Ollama (default 256)
  --body-limit <bytes>  Largest request body of the server's own routes (default 1048576)
  --request-timeout-ms <n>
                        How long a client has to send a whole request, body included, in ms;
                        then 408 (default 300000)
  --max-parsed-bytes <bytes>
                        Largest proxied body read and keyed for the cache; a larger one is relayed
                        to Ollama as it streams in, uncached (default 8388608)
  --origins <list>      Browser origins allowed besides Ollama's defaults, on every route,
                        comma-separated as OLLAMA_ORIGINS (https://app.example,chrome-extension://*);
                        repeatable
  --log-level <level>   fatal, error, warn, info, debug, trace or silent (default info)
  --help                Print this help

Environment:
  LUNAR_API_TOKEN       Bearer token required on every route but /healthz and /readyz (at least
                        16 characters)
  OLLAMA_HOST           Where to look for Ollama when no --ollama-host is given
  OLLAMA_ORIGINS        Browser origins allowed, as Ollama reads them (with --origins)
`;

export interface CliArgs {
  help: boolean;
  host: string | undefined;
  port: number | undefined;
  ollamaHosts: string[];
  connections: number | undefined;
  headersTimeoutMs: number | undefined;
  idleTimeoutMs: number | undefined;
  models: string[];
  embedModel: string | undefined;
  memory: string | undefined;
  memoryVectorSearch: 'pgvector' | 'exact' | undefined;
  memoryThreads: number | undefined;
  sessionTtlS: number | undefined;
  memoryScope: string | undefined;
  redis: string | undefined;
  replicaId: string | undefined;
  graceMs: number | undefined;
  maxProxied: number | undefined;
  bodyLimit: number | undefined;
  requestTimeoutMs: number | undefined;
  maxParsedBytes: number | undefined;
  origins: string[];
  logLevel: string;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new TypeError(`--${flag} expects a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Origins as OLLAMA_ORIGINS lists them: comma-separated, quotes and spaces trimmed, empty ones dropped. */
export function splitOrigins(lists: readonly string[]): string[] {
  return lists
    .flatMap((list) => list.split(','))
    .map((origin) => origin.trim().replace(/^["']+|["']+$/g, ''))
    .filter((origin) => origin !== '');
}

function vectorSearch(value: string | undefined): 'pgvector' | 'exact' | undefined {
  if (value === undefined || value === 'pgvector' || value === 'exact') return value;
  throw new TypeError(`--memory-vector-search expects pgvector or exact, got ${JSON.stringify(value)}`);
}

/** Parses the command line; throws a TypeError naming the bad flag. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'ollama-host': { type: 'string', multiple: true },
      upstream: { type: 'string', multiple: true },
      connections: { type: 'string' },
      'headers-timeout-ms': { type: 'string' },
      'idle-timeout-ms': { type: 'string' },
      model: { type: 'string', multiple: true },
      'embed-model': { type: 'string' },
      memory: { type: 'string' },
      'memory-vector-search': { type: 'string' },
      'memory-threads': { type: 'string' },
      'session-ttl': { type: 'string' },
      'memory-scope': { type: 'string' },
      redis: { type: 'string' },
      'replica-id': { type: 'string' },
      'grace-ms': { type: 'string' },
      'max-proxied': { type: 'string' },
      'body-limit': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      'max-parsed-bytes': { type: 'string' },
      origins: { type: 'string', multiple: true },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const logLevel = values['log-level'] ?? 'info';
  if (!LEVELS.includes(logLevel)) {
    throw new TypeError(`--log-level expects one of ${LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  }
  return {
    help: values.help ?? false,
    host: values.host,
    port: integer('port', values.port),
    ollamaHosts: [...(values['ollama-host'] ?? []), ...(values.upstream ?? [])],
    connections: integer('connections', values.connections),
    headersTimeoutMs: integer('headers-timeout-ms', values['headers-timeout-ms']),
    idleTimeoutMs: integer('idle-timeout-ms', values['idle-timeout-ms']),
    models: values.model ?? [],
    embedModel: values['embed-model'],
    memory: values.memory,
    memoryVectorSearch: vectorSearch(values['memory-vector-search']),
    memoryThreads: integer('memory-threads', values['memory-threads']),
    sessionTtlS: integer('session-ttl', values['session-ttl']),
    memoryScope: values['memory-scope'],
    redis: values.redis,
    replicaId: values['replica-id'],
    graceMs: integer('grace-ms', values['grace-ms']),
    maxProxied: integer('max-proxied', values['max-proxied']),
    bodyLimit: integer('body-limit', values['body-limit']),
    requestTimeoutMs: integer('request-timeout-ms', values['request-timeout-ms']),
    maxParsedBytes: integer('max-parsed-bytes', values['max-parsed-bytes']),
    origins: splitOrigins(values.origins ?? []),
    logLevel,
  };
}
