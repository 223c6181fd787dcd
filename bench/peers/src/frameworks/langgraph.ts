// LangGraph's prebuilt ReAct agent as its docs show it: `createReactAgent` with ChatOllama and the
// zod tools of the LangChain row, streamed with `streamMode: 'messages'` (token by token). Its tool
// node runs a message's tool calls at the same time.
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { ChatOllama } from '@langchain/ollama';
import type { AskedToolCall, Framework, FrameworkSetup } from '../framework.js';
import { SYSTEM_PROMPT, TEMPERATURE } from '../scenario.js';
import { langchainTools } from './langchain-tools.js';

export function createFramework(setup: FrameworkSetup): Framework {
  const tools = langchainTools();
  const llm = new ChatOllama({ baseUrl: setup.host, model: setup.model, temperature: TEMPERATURE });
  const agent = createReactAgent({ llm, tools, prompt: SYSTEM_PROMPT });
  return {
    async turn(question, onText) {
      const toolCalls: AskedToolCall[] = [];
      let text = '';
      const stream = await agent.stream(
        { messages: [{ role: 'user', content: question }] },
        { streamMode: 'messages' },
      );
      for await (const [message] of stream as AsyncIterable<[BaseMessage, unknown]>) {
        if (!AIMessageChunk.isInstance(message)) continue;
        if (typeof message.content === 'string' && message.content !== '') {
          onText(message.content);
          text += message.content;
        }
        for (const call of message.tool_calls ?? [])
          toolCalls.push({ name: call.name, arguments: call.args });
      }
      return { toolCalls, text };
    },
    async close() {},
  };
}
