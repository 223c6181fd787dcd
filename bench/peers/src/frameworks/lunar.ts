// Lunar's agent as its README shows it: `createAgent` with the tools, `warmup()` at start,
// `run()` streaming the turn's events, and `prepare()` when the user starts typing. A turn is a
// conversation of its own (a new session) unless it continues one, as each peer's turn is.
import { ALL_OFF, ALL_ON, createAgent } from '@lunar/agent';
import { benchToolPredictors } from '@lunar/agent/bench';
import type { AskedToolCall, Framework, FrameworkSetup } from '../framework.js';
import { SYSTEM_PROMPT, TEMPERATURE, TOOLS } from '../scenario.js';

export interface LunarVariant {
  /** Every optimisation on, or every one off. */
  optimizations: 'on' | 'off';
  /** Let the agent reuse recent tool results (`cacheableTools`, one minute each). */
  toolCache: boolean;
}

export function createLunarFramework(setup: FrameworkSetup, variant: LunarVariant): Framework {
  const agent = createAgent({
    model: setup.model,
    host: setup.host,
    system: SYSTEM_PROMPT,
    tools: TOOLS,
    // How this application predicts its tools' calls from a message (see benchToolPredictors).
    toolPredictors: benchToolPredictors(),
    options: { temperature: TEMPERATURE },
    optimizations: variant.optimizations === 'on' ? ALL_ON : ALL_OFF,
    ...(variant.toolCache
      ? { cacheableTools: Object.fromEntries(TOOLS.map((tool) => [tool.name, 60_000])) }
      : {}),
  });
  let sessions = 0;
  return {
    async warmup() {
      await agent.warmup();
    },
    async turn(question, onText, conversation) {
      sessions += 1;
      const toolCalls: AskedToolCall[] = [];
      const sessionId = conversation ?? `turn-${sessions}`;
      for await (const event of agent.run(question, { sessionId })) {
        if (event.type === 'text-delta') onText(event.text);
        else if (event.type === 'tool-call') toolCalls.push({ name: event.name, arguments: event.arguments });
        else if (event.type === 'done') return { toolCalls, text: event.text };
        else if (event.type === 'error') throw new Error(`${event.code}: ${event.message}`);
      }
      throw new Error('The turn ended without a done or error event');
    },
    typing(conversation) {
      // As an app calls it when its input opens: Ollama evaluates the conversation's next prefix.
      void agent.prepare({ sessionId: conversation });
    },
    close: () => agent.close(),
  };
}
