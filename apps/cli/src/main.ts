import { BENCH_USAGE, benchCommand } from './bench-command.js';
import { CHAT_USAGE, chatCommand } from './chat-command.js';
import { CliError, EXIT, UsageError } from './cli-error.js';
import { wantsHelp } from './flags.js';
import { FORGET_USAGE, forgetCommand } from './forget-command.js';
import { RECALL_USAGE, recallCommand } from './recall-command.js';
import { REMEMBER_USAGE, rememberCommand } from './remember-command.js';
import { SIM_USAGE, simCommand } from './sim-command.js';
import { processTerminal, type Terminal } from './terminal.js';
import { printable } from './terminal-text.js';
import { cliVersion } from './version.js';

export const USAGE = `Usage: lunar <command> [options]

Lunar, a fast agent on a local model served by Ollama, in a terminal.

Commands:
  chat [message]     ask a question, or start a conversation without one
  remember <text>    store a fact in long-term memory
  recall <query>     search long-term memory
  forget <id>        delete a memory by id (e.g. mem_3)
  bench              the before/after benchmark of the agent pipeline
  sim                run the Ollama simulator in the foreground

Options:
  -h, --help         show this help; \`lunar <command> --help\` for a command's
  -v, --version      print the version

Ollama is found at --host, else OLLAMA_HOST, else http://127.0.0.1:11434. When neither is set
and no Ollama answers there, Lunar uses its built-in simulator and says so.
`;

type Command = (args: readonly string[], terminal: Terminal) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  chat: { run: chatCommand, usage: CHAT_USAGE },
  remember: { run: rememberCommand, usage: REMEMBER_USAGE },
  recall: { run: recallCommand, usage: RECALL_USAGE },
  forget: { run: forgetCommand, usage: FORGET_USAGE },
  bench: { run: benchCommand, usage: BENCH_USAGE },
  sim: { run: simCommand, usage: SIM_USAGE },
};

/** Runs `lunar` with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], terminal: Terminal = processTerminal()): Promise<number> {
  const [name, ...args] = argv;
  const { red } = terminal.style;
  if (name === undefined) {
    terminal.stderr.write(USAGE);
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h') {
    terminal.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    terminal.stdout.write(`${cliVersion()}\n`);
    return EXIT.ok;
  }
  if (name === 'help') {
    const topic = args[0] === undefined ? undefined : COMMANDS[args[0]];
    terminal.stdout.write(topic?.usage ?? USAGE);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    terminal.stderr.write(`${red(`lunar: unknown command ${JSON.stringify(name)}`)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (wantsHelp(args)) {
    terminal.stdout.write(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(args, terminal);
  } catch (error) {
    if (error instanceof UsageError) {
      terminal.stderr.write(`${red(`lunar ${name}: ${printable(error.message)}`)}\n\n${command.usage}`);
      return EXIT.usage;
    }
    const message = error instanceof CliError || error instanceof Error ? error.message : String(error);
    terminal.stderr.write(`${red(`lunar: ${printable(message)}`)}\n`);
    return EXIT.failure;
  }
}
