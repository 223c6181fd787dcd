import { AgentError } from '../agent/errors.js';
import type { AgentEvent } from '../agent/events.js';
import type { InputGuard } from '../guards/guard.js';
import type { StageTimer } from '../profile/profiler.js';
import { stageEvent } from './stage-event.js';

export interface InputStageContext {
  guards: readonly InputGuard[];
  sessionId: string;
  signal: AbortSignal;
}

/** The message as the guards leave it, or a refusal. */
export type InputVerdict =
  | { refused: false; text: string; rewrittenBy: string[] }
  | { refused: true; reason: string; guard: string };

async function checkInput(context: InputStageContext, message: string): Promise<InputVerdict> {
  let text = message;
  const rewrittenBy: string[] = [];
  for (const guard of context.guards) {
    const verdict = await guard.check(text, { sessionId: context.sessionId, signal: context.signal });
    if (verdict.action === 'refuse') return { refused: true, reason: `${verdict.reason}`, guard: guard.name };
    if (verdict.action === 'rewrite') {
      text = verdict.text;
      rewrittenBy.push(guard.name);
    }
  }
  return { refused: false, text, rewrittenBy };
}

/** Throws AGENT_INVALID_INPUT for a message that is not a non-blank string. */
export function checkMessage(message: unknown): asserts message is string {
  if (typeof message !== 'string' || message.trim() === '') {
    throw new AgentError('AGENT_INVALID_INPUT', 'The message is empty: type a question.');
  }
}

/**
 * The `input-guards` stage: every input guard in turn, each seeing the text the previous one
 * left. Its timer is started by the caller, so a memory search can start beside it. Returns the
 * verdict after recording the stage; a refusal is the caller's to act on.
 */
export async function* inputStage(
  context: InputStageContext,
  message: string,
  timer: StageTimer,
): AsyncGenerator<AgentEvent, InputVerdict, undefined> {
  const verdict = await checkInput(context, message);
  yield stageEvent(
    timer.end({
      detail: {
        guards: context.guards.length,
        verdict: verdict.refused ? 'refuse' : verdict.rewrittenBy.length > 0 ? 'rewrite' : 'allow',
      },
    }),
  );
  return verdict;
}

/** The error a refusal ends the turn with. */
export function refusal(verdict: Extract<InputVerdict, { refused: true }>): AgentError {
  return new AgentError('AGENT_GUARD_REFUSED', `Refused by the ${verdict.guard} guard: ${verdict.reason}`, {
    guard: verdict.guard,
  });
}
