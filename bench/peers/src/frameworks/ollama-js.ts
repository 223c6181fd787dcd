// ollama-js and a hand-written loop, as its README shows tool calling: `chat` with `stream: true`
// and the tools as JSON schema, the tool calls collected from the stream, then run at once
// (`Promise.all`) and their results sent back as `tool` messages, until no tool is called.
import { type Message, Ollama, type Tool, type ToolCall } from 'ollama';
import type { AskedToolCall, Framework, FrameworkSetup } from '../framework.js';
import { runTool, SYSTEM_PROMPT, TEMPERATURE, TOOLS } from '../scenario.js';

const MAX_ROUNDS = 5;

export function createFramework(setup: FrameworkSetup): Framework {
  const ollama = new Ollama({ host: setup.host });
  // The JSON schema a user writes by hand for these parameters, byte for byte.
  const tools: Tool[] = TOOLS.map((definition) => ({
    type: 'function',
    function: {
      name: definition.name,
      description: definition.description,
      parameters: definition.jsonSchema as Tool['function']['parameters'],
    },
  }));
  return {
    async turn(question, onText) {
      const messages: Message[] = [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: question },
      ];
      const toolCalls: AskedToolCall[] = [];
      let text = '';
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const stream = await ollama.chat({
          model: setup.model,
          messages,
          tools,
          stream: true,
          options: { temperature: TEMPERATURE },
        });
        let content = '';
        const calls: ToolCall[] = [];
        for await (const part of stream) {
          if (part.message.content) {
            onText(part.message.content);
            content += part.message.content;
          }
          if (part.message.tool_calls) calls.push(...part.message.tool_calls);
        }
        text += content;
        messages.push({ role: 'assistant', content, tool_calls: calls });
        if (calls.length === 0) return { toolCalls, text };
        for (const call of calls)
          toolCalls.push({ name: call.function.name, arguments: call.function.arguments });
        const results = await Promise.all(
          calls.map(async (call) => ({
            role: 'tool',
            content: JSON.stringify(await runTool(call.function.name, call.function.arguments)),
            tool_name: call.function.name,
          })),
        );
        messages.push(...results);
      }
      throw new Error(`Still calling tools after ${MAX_ROUNDS} rounds`);
    },
    async close() {
      ollama.abort();
    },
  };
}
