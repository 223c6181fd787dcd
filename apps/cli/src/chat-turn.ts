import type { Agent } from '@lunar/agent';
import { type AnswerLine, EventRenderer, type RendererOptions, type TurnOutcome } from './event-renderer.js';
import type { Terminal } from './terminal.js';

/** Runs one turn and renders its events as they come; Ctrl-C aborts it through `signal`. */
export async function chatTurn(
  agent: Agent,
  message: string,
  options: {
    sessionId: string;
    signal: AbortSignal;
    terminal: Terminal;
    render: RendererOptions;
    answer: AnswerLine;
  },
): Promise<TurnOutcome> {
  const renderer = new EventRenderer(options.terminal, options.render, options.answer);
  for await (const event of agent.run(message, { sessionId: options.sessionId, signal: options.signal })) {
    const outcome = renderer.render(event);
    if (outcome !== undefined) return outcome;
  }
  return options.signal.aborted ? 'aborted' : 'error';
}
