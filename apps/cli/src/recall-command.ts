import { UsageError } from './cli-error.js';
import { integerFlag, parseFlags } from './flags.js';
import { MEMORY_FLAGS_USAGE, MEMORY_OPTIONS, withMemory } from './memory-session.js';
import type { Terminal } from './terminal.js';
import { jsonLine, printable } from './terminal-text.js';

export const RECALL_USAGE = `Usage: lunar recall [options] <query>

Searches long-term memory (words and meaning, fused) and prints the best matches, best first:
one per line, its id then its text.

Options:
  -k, --k <n>       how many memories, 1 to 100 (default 5)
${MEMORY_FLAGS_USAGE}
`;

const OPTIONS = { ...MEMORY_OPTIONS, k: { type: 'string', short: 'k' } } as const;

/** `lunar recall <query>`. */
export async function recallCommand(args: readonly string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, true);
  const query = positionals.join(' ').trim();
  if (query === '') throw new UsageError('recall needs a query');
  const k = integerFlag('--k', values.k, 5, 1, 100);
  return withMemory(values, terminal, async (store, signal) => {
    const results = await store.search(query, { k, signal });
    if (values.json) {
      terminal.stdout.write(jsonLine(results));
    } else if (results.length === 0) {
      terminal.stderr.write(`${terminal.style.dim('No memories yet.')}\n`);
    } else {
      for (const result of results) terminal.stdout.write(`${result.id}  ${printable(result.text)}\n`);
    }
    return 0;
  });
}
