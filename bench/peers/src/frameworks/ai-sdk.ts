// The AI SDK as its docs show a tool loop: `streamText` with zod tools, `execute` on each, and a
// stop condition for the steps; the Ollama provider is ai-sdk-ollama. The SDK runs each tool as
// soon as its call arrives in the stream, and a step's calls at the same time.
import { isStepCount, streamText, type ToolSet, tool } from 'ai';
import { createOllama } from 'ai-sdk-ollama';
import type { ZodType } from 'zod';
import type { AskedToolCall, Framework, FrameworkSetup } from '../framework.js';
import { runTool, SYSTEM_PROMPT, TEMPERATURE, TOOLS } from '../scenario.js';

export function createFramework(setup: FrameworkSetup): Framework {
  const ollama = createOllama({ baseURL: setup.host });
  const model = ollama(setup.model);
  const tools: ToolSet = Object.fromEntries(
    TOOLS.map((definition) => [
      definition.name,
      tool({
        description: definition.description,
        inputSchema: definition.parameters as ZodType<Record<string, unknown>>,
        execute: (input: Record<string, unknown>, { abortSignal }) =>
          runTool(definition.name, input, abortSignal),
      }),
    ]),
  );
  return {
    async turn(question, onText) {
      const result = streamText({
        model,
        instructions: SYSTEM_PROMPT,
        prompt: question,
        tools,
        stopWhen: isStepCount(5),
        temperature: TEMPERATURE,
      });
      const toolCalls: AskedToolCall[] = [];
      let text = '';
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') {
          onText(part.text);
          text += part.text;
        } else if (part.type === 'tool-call') {
          toolCalls.push({ name: part.toolName, arguments: part.input });
        } else if (part.type === 'error') {
          throw part.error;
        }
      }
      return { toolCalls, text };
    },
    async close() {},
  };
}
