import { existsSync } from 'node:fs';
import path from 'node:path';
import { isMemoryError, SqliteMemoryStore } from '@lunar/agent';
import { CliError, EXIT, UsageError } from './cli-error.js';
import { parseFlags } from './flags.js';
import { defaultMemoryPath } from './memory-file.js';
import type { Terminal } from './terminal.js';

export const FORGET_USAGE = `Usage: lunar forget [options] <id>

Deletes one memory by its id (as \`lunar remember\` and \`lunar recall\` print it, e.g. mem_3).
Needs no Ollama.

Options:
  --memory <file>   memory database (default: <data dir>/memory.db)
  --json            print the result as JSON
  -h, --help        show this help
`;

const OPTIONS = {
  memory: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Deleting computes no embedding: the store gets an embedder that is never called. */
const NO_EMBEDDINGS = {
  embed(): Promise<number[][]> {
    return Promise.reject(new Error('lunar forget computes no embeddings'));
  },
};

/** `lunar forget <id>`. */
export async function forgetCommand(args: readonly string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError('forget takes exactly one memory id, e.g. mem_3');
  const id = positionals[0]!;
  const file = path.resolve(values.memory ?? defaultMemoryPath());
  if (!existsSync(file)) {
    throw new CliError('CLI_NO_MEMORY', `There is no memory ${id}: the memory file ${file} does not exist.`);
  }
  const store = SqliteMemoryStore.open({ path: file, embedder: NO_EMBEDDINGS });
  try {
    const deleted = await store.delete(id);
    if (values.json) terminal.stdout.write(`${JSON.stringify({ id, deleted })}\n`);
    if (!deleted) throw new CliError('CLI_NO_MEMORY', `There is no memory ${id} in ${file}.`);
    if (!values.json) terminal.stdout.write(`Forgot ${id}.\n`);
    return EXIT.ok;
  } catch (error) {
    if (isMemoryError(error, 'MEMORY_INVALID_INPUT')) {
      throw new UsageError(error.message);
    }
    throw error;
  } finally {
    await store.close();
  }
}
