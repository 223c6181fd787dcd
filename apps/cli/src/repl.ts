import { createInterface } from 'node:readline';
import type { Agent } from '@lunar/agent';
import { chatTurn } from './chat-turn.js';
import type { AnswerLine, RendererOptions } from './event-renderer.js';
import type { Interrupts } from './interrupts.js';
import { LineQueue } from './line-queue.js';
import type { Terminal } from './terminal.js';

/**
 * The conversation: one question per line of stdin, all in one session (the agent keeps the
 * history). On a terminal it shows a prompt; piped, it answers each line in turn. Ends at EOF.
 */
export async function repl(
  agent: Agent,
  options: {
    terminal: Terminal;
    interrupts: Interrupts;
    render: RendererOptions;
    sessionId: string;
    answer: AnswerLine;
  },
): Promise<number> {
  const { terminal, interrupts } = options;
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const readline = createInterface({
    input: process.stdin,
    ...(interactive ? { output: process.stderr, terminal: true } : { terminal: false }),
    prompt: terminal.style.bold('› '),
  });
  // On a terminal, readline reads Ctrl-C as a key; piped, SIGINT reaches the process instead.
  readline.on('SIGINT', () => interrupts.press());
  const lines = new LineQueue(readline);
  if (interactive) {
    terminal.stderr.write(
      `${terminal.style.dim(`Lunar chat with ${agent.model}. Ctrl-C cancels an answer, Ctrl-D ends the chat.`)}\n`,
    );
  }
  try {
    for (;;) {
      if (interactive) {
        readline.prompt();
        // While the user types, Ollama evaluates what the session's next turn starts with.
        void agent.prepare({ sessionId: options.sessionId });
      }
      const line = await lines.next();
      if (line === undefined) break;
      const message = line.trim();
      if (message === '') continue;
      const signal = interrupts.begin();
      await chatTurn(agent, message, {
        sessionId: options.sessionId,
        signal,
        terminal,
        render: options.render,
        answer: options.answer,
      });
      interrupts.end();
    }
  } finally {
    readline.close();
  }
  if (interactive) terminal.stderr.write('\n');
  return 0;
}
