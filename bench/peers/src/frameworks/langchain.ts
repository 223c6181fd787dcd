// LangChain as its docs show a tool loop: ChatOllama with `bindTools`, tools made with `tool()` and
// a zod schema, the answer streamed chunk by chunk and concatenated, then every tool call of the
// message invoked at once (`Promise.all`) and its ToolMessage sent back, until no tool is called.
import { type AIMessageChunk, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOllama } from '@langchain/ollama';
import type { AskedToolCall, Framework, FrameworkSetup } from '../framework.js';
import { SYSTEM_PROMPT, TEMPERATURE } from '../scenario.js';
import { langchainTools } from './langchain-tools.js';

const MAX_ROUNDS = 5;

export function createFramework(setup: FrameworkSetup): Framework {
  const tools = langchainTools();
  const toolsByName = new Map(tools.map((each) => [each.name, each]));
  const llm = new ChatOllama({ baseUrl: setup.host, model: setup.model, temperature: TEMPERATURE });
  const llmWithTools = llm.bindTools(tools);
  return {
    async turn(question, onText) {
      const messages: BaseMessage[] = [new SystemMessage(SYSTEM_PROMPT), new HumanMessage(question)];
      const toolCalls: AskedToolCall[] = [];
      let text = '';
      for (let round = 0; round < MAX_ROUNDS; round++) {
        let message: AIMessageChunk | undefined;
        for await (const chunk of await llmWithTools.stream(messages)) {
          if (typeof chunk.content === 'string' && chunk.content !== '') {
            onText(chunk.content);
            text += chunk.content;
          }
          message = message === undefined ? chunk : message.concat(chunk);
        }
        if (message === undefined) throw new Error('The model sent no message');
        messages.push(message);
        const calls = message.tool_calls ?? [];
        if (calls.length === 0) return { toolCalls, text };
        for (const call of calls) toolCalls.push({ name: call.name, arguments: call.args });
        const results = await Promise.all(
          calls.map((call) => {
            const called = toolsByName.get(call.name);
            if (called === undefined) throw new Error(`The model called an unknown tool ${call.name}`);
            return called.invoke(call);
          }),
        );
        messages.push(...results);
      }
      throw new Error(`Still calling tools after ${MAX_ROUNDS} rounds`);
    },
    async close() {},
  };
}
