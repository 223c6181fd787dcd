// Lunar's agent as its README shows it: `createAgent` with the tools, `warmup()` at start, and
// `run()` streaming the turn's events. Each turn is a conversation of its own (a new session),
// as each peer's turn is.
import { ALL_OFF, ALL_ON, createAgent } from '@lunar/agent';
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
    async turn(question, onText) {
      sessions += 1;
      const toolCalls: AskedToolCall[] = [];
      for await (const event of agent.run(question, { sessionId: `turn-${sessions}` })) {
        if (event.type === 'text-delta') onText(event.text);
        else if (event.type === 'tool-call') toolCalls.push({ name: event.name, arguments: event.arguments });
        else if (event.type === 'done') return { toolCalls, text: event.text };
        else if (event.type === 'error') throw new Error(`${event.code}: ${event.message}`);
      }
      throw new Error('The turn ended without a done or error event');
    },
    close: () => agent.close(),
  };
}
