import { DEFAULT_EMBED_MODEL, type MemoryStore, pullCommandFor } from '@lunar/agent';
import { CliError } from './cli-error.js';
import { connectEngine, HOST_OPTIONS, HOST_USAGE, requestedHost, simulatorNotice } from './engine.js';
import { interruptible } from './interruptible.js';
import { defaultMemoryPath, openMemoryFile } from './memory-file.js';
import type { Terminal } from './terminal.js';
import { printable } from './terminal-text.js';

/** Flags every memory command takes. */
export const MEMORY_OPTIONS = {
  memory: { type: 'string' },
  ...HOST_OPTIONS,
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const MEMORY_FLAGS_USAGE = `  --memory <file>      memory database (default: <data dir>/memory.db)
${HOST_USAGE}
  --json               print the result as JSON
  -h, --help           show this help`;

/**
 * Runs `body` on the memory store, with embeddings from Ollama (the engine rule of `lunar chat`),
 * and closes everything after it. Ctrl-C aborts the embedding request.
 */
export async function withMemory(
  flags: { memory?: string | undefined; 'ollama-host'?: string | undefined; host?: string | undefined },
  terminal: Terminal,
  body: (store: MemoryStore, signal: AbortSignal) => Promise<number>,
): Promise<number> {
  const notice = (line: string) => terminal.stderr.write(`${terminal.style.dim(printable(line))}\n`);
  const requested = requestedHost(flags, terminal.env);
  return interruptible(notice, async ({ signal, onClose }) => {
    const engine = await connectEngine(requested, signal);
    onClose(() => engine.close());
    const fallback = simulatorNotice(engine);
    if (fallback !== undefined) notice(fallback);
    if (!(await engine.hasModel(DEFAULT_EMBED_MODEL, { signal }))) {
      throw new CliError(
        'CLI_NO_EMBED_MODEL',
        `Memory needs the embedding model ${DEFAULT_EMBED_MODEL}, which the Ollama at ${engine.hosts.join(', ')} does not have. Run \`${pullCommandFor(DEFAULT_EMBED_MODEL)}\`.`,
      );
    }
    const { memory } = await openMemoryFile(flags.memory ?? defaultMemoryPath(), engine.client);
    onClose(() => memory.store.close());
    return await body(memory.store, signal);
  });
}
