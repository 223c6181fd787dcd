import type { MemorySearchResult, SessionStore } from '@lunar/memory';
import type { Message } from '@lunar/ollama-stream';
import type { AgentEvent } from '../agent/events.js';
import type { Profiler } from '../profile/profiler.js';
import { buildPrompt } from './prompt.js';
import { stageEvent } from './stage-event.js';

export interface PromptStageContext {
  system: string | undefined;
  history: SessionStore;
  sessionId: string;
  date: Date;
  /** The `stablePrefix` optimization. */
  stablePrefix: boolean;
  profiler: Profiler;
}

/** The `build-prompt` stage: the messages of the turn's first model call. */
export async function* promptStage(
  context: PromptStageContext,
  text: string,
  memories: readonly MemorySearchResult[],
): AsyncGenerator<AgentEvent, Message[], undefined> {
  const timer = context.profiler.stage('build-prompt');
  const history = await context.history.messages(context.sessionId);
  const messages = buildPrompt({
    system: context.system,
    history,
    memories,
    message: text,
    date: context.date,
    stablePrefix: context.stablePrefix,
  });
  yield stageEvent(
    timer.end({
      detail: {
        messages: messages.length,
        historyMessages: history.length,
        stablePrefix: context.stablePrefix,
      },
    }),
  );
  return messages;
}
