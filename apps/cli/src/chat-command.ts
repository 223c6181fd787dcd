import { randomUUID } from 'node:crypto';
import { DEFAULT_MODEL, DEFAULT_SYSTEM } from '@lunar/agent';
import { type ChatSettings, checkAllowDir, openChatAgent, warmModel } from './chat-agent.js';
import { chatTurn } from './chat-turn.js';
import { EXIT, UsageError } from './cli-error.js';
import { connectEngine, HOST_OPTIONS, HOST_USAGE, requestedHost, simulatorNotice } from './engine.js';
import type { AnswerLine } from './event-renderer.js';
import { numberFlag, parseFlags } from './flags.js';
import { interruptible } from './interruptible.js';
import { defaultMemoryPath } from './memory-file.js';
import { repl } from './repl.js';
import type { Terminal } from './terminal.js';
import { printable } from './terminal-text.js';

export const CHAT_USAGE = `Usage: lunar chat [options] [message]

Asks one question (with a message), or starts a conversation (without one: one question per
line, Ctrl-D ends it). The answer streams to stdout; tool calls go to stderr.

Options:
  --model <name>       Ollama model (default ${DEFAULT_MODEL})
${HOST_USAGE}
  --system <text>      system prompt (default: a short one for Lunar's tools)
  --temperature <n>    sampling temperature from 0 to 2 (default 0: the same question gets the
                       same answer, so repeats are served from the cache)
  --memory <file>      memory database (default: <data dir>/memory.db)
  --allow-dir <dir>    let the model read files under <dir> (read_file), nothing outside it
  --no-cache           every cache off for this run (answers, memory searches, embeddings, tools)
  --profile            print the stage waterfall on stderr after each answer
  --json               print every event as one JSON line on stdout instead
  -h, --help           show this help

Tools: current_time, calculate, remember and recall (memory), read_file (with --allow-dir).
`;

const OPTIONS = {
  model: { type: 'string' },
  ...HOST_OPTIONS,
  system: { type: 'string' },
  temperature: { type: 'string' },
  memory: { type: 'string' },
  'allow-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  profile: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `lunar chat [message]`. */
export async function chatCommand(args: readonly string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseFlags(args, OPTIONS, true);
  const message = positionals.length > 0 ? positionals.join(' ').trim() : undefined;
  if (message === '') throw new UsageError('the message is empty');
  if (values.model !== undefined && values.model.trim() === '') {
    throw new UsageError('--model expects a model name, got ""');
  }
  const temperature = numberFlag('--temperature', values.temperature, 0, 0, 2);
  const requested = requestedHost(values, terminal.env);
  const answer: AnswerLine = { midLine: false };
  const notice = (line: string) => {
    // On a shared terminal, a notice (e.g. "Cancelled") mid-answer starts on a line of its own.
    if (answer.midLine && terminal.stdout.isTTY && terminal.stderr.isTTY) {
      terminal.stderr.write('\n');
      answer.midLine = false;
    }
    terminal.stderr.write(`${terminal.style.dim(printable(line))}\n`);
  };
  return interruptible(notice, async ({ signal, interrupts, onClose }) => {
    const settings: ChatSettings = {
      model: values.model ?? DEFAULT_MODEL,
      system: values.system ?? DEFAULT_SYSTEM,
      temperature,
      memoryFile: values.memory ?? defaultMemoryPath(),
      allowDir: values['allow-dir'] === undefined ? undefined : await checkAllowDir(values['allow-dir']),
      cache: values['no-cache'] !== true,
    };
    const engine = await connectEngine(requested, signal);
    onClose(() => engine.close());
    const fallback = simulatorNotice(engine);
    if (fallback !== undefined) notice(fallback);
    const chat = await openChatAgent(settings, engine, signal);
    onClose(() => chat.close());
    if (chat.memoryOff !== undefined) notice(chat.memoryOff);
    const started = performance.now();
    await warmModel(chat.agent, engine, signal);
    if (terminal.stderr.isTTY && values.json !== true) {
      notice(
        `${chat.agent.model} ready at ${engine.hosts.join(', ')} (${Math.round(performance.now() - started).toLocaleString('en-US')} ms)`,
      );
    }
    const render = {
      json: values.json === true,
      profile: values.profile === true,
      stages: terminal.stderr.isTTY === true,
    };
    const sessionId = `cli-${randomUUID()}`;
    if (message === undefined)
      return await repl(chat.agent, { terminal, interrupts, render, sessionId, answer });
    const outcome = await chatTurn(chat.agent, message, { sessionId, signal, terminal, render, answer });
    return outcome === 'done' ? EXIT.ok : outcome === 'aborted' ? EXIT.interrupted : EXIT.failure;
  });
}
