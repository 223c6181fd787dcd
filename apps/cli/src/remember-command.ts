import { UsageError } from './cli-error.js';
import { parseFlags } from './flags.js';
import { MEMORY_FLAGS_USAGE, MEMORY_OPTIONS, withMemory } from './memory-session.js';
import type { Terminal } from './terminal.js';
import { jsonLine, printable } from './terminal-text.js';

export const REMEMBER_USAGE = `Usage: lunar remember [options] <text>

Stores a fact in long-term memory; \`lunar chat\` finds it when a question is about it.
Prints the new memory's id (e.g. mem_3), which \`lunar forget\` takes.

Options:
${MEMORY_FLAGS_USAGE}
`;

/** `lunar remember <text>`. */
export async function rememberCommand(args: readonly string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseFlags(args, MEMORY_OPTIONS, true);
  const text = positionals.join(' ').trim();
  if (text === '') throw new UsageError('remember needs the text to store');
  return withMemory(values, terminal, async (store, signal) => {
    const memory = await store.add(text, { signal });
    terminal.stdout.write(
      values.json ? jsonLine(memory) : `Remembered ${memory.id}: ${printable(memory.text)}\n`,
    );
    return 0;
  });
}
