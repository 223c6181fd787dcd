/**
 * llama3.2's template, as Ollama's registry ships it for `llama3.2:3b` (template blob
 * 966de95ca8a6, the same for all Llama 3.2 text models):
 *
 *     <|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n\n
 *     {System}{when tools: "When you receive a tool call response, …"}<|eot_id|>
 *     user:      <|start_header_id|>user<|end_header_id|>\n\n{content}<|eot_id|>
 *                the LAST message, with tools: "Given the following functions, …" + one JSON tool
 *                definition per line + the content (`{{- if and $.Tools $last }}`)
 *     assistant: <|start_header_id|>assistant<|end_header_id|>\n\n{content}, or per tool call
 *                \n{"name": "f", "parameters": {args as sorted compact JSON}}
 *     tool:      <|start_header_id|>ipython<|end_header_id|>\n\n{content}<|eot_id|>
 *     then, after a user or tool message that is last, the generation prompt
 *     <|start_header_id|>assistant<|end_header_id|>\n\n
 *
 * So the tool definitions are evaluated again on every first call of a turn, and the second
 * call of a tool turn (last message: a tool result) renders the user message without them.
 * The tokenizer adds `<|begin_of_text|>` before the prompt.
 */
import { SimTokenizer } from '../tokenizer.js';
import {
  type ChatTemplate,
  collate,
  type ModelReply,
  type OutputSegment,
  type RenderInput,
  toolCallsOf,
} from './chat-template.js';
import { argumentsJson, modelJson, toolJson } from './template-json.js';

const HEADER_END = '<|end_header_id|>\n\n';
const GENERATION_PROMPT = `<|start_header_id|>assistant${HEADER_END}`;
const TOOLS_SYSTEM =
  'When you receive a tool call response, use the output to format an answer to the orginal user question.\n\nYou are a helpful assistant with tool calling capabilities.';
const TOOLS_USER =
  'Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\nRespond in the format {"name": function name, "parameters": dictionary of argument name and its value}. Do not use variables.\n\n';

/** Llama 3's special tokens and their ids (tokenizer_config.json of the Llama 3.2 models). */
export const LLAMA3_SPECIALS = {
  '<|begin_of_text|>': 128000,
  '<|end_of_text|>': 128001,
  '<|start_header_id|>': 128006,
  '<|end_header_id|>': 128007,
  '<|eom_id|>': 128008,
  '<|eot_id|>': 128009,
  '<|python_tag|>': 128010,
};

function render(input: RenderInput): string {
  const { system, messages } = collate(input.messages);
  const hasTools = input.tools.length > 0;
  let out = `<|start_header_id|>system${HEADER_END}Cutting Knowledge Date: December 2023\n\n${system}`;
  if (hasTools) out += TOOLS_SYSTEM;
  out += '<|eot_id|>';
  messages.forEach((message, index) => {
    const last = index === messages.length - 1;
    if (message.role === 'user') {
      out += '<|start_header_id|>user<|end_header_id|>';
      if (hasTools && last) {
        const definitions = input.tools.map((tool) => `${toolJson(tool)}\n`).join('');
        out += `\n\n${TOOLS_USER}${definitions}\n${message.content}<|eot_id|>`;
      } else {
        out += `\n\n${message.content}<|eot_id|>`;
      }
      if (last) out += GENERATION_PROMPT;
    } else if (message.role === 'assistant') {
      out += '<|start_header_id|>assistant<|end_header_id|>';
      const calls = toolCallsOf(message);
      if (calls.length > 0) {
        out += '\n';
        for (const call of calls) {
          out += `\n{"name": "${call.name}", "parameters": ${argumentsJson(call.arguments)}}`;
        }
      } else {
        out += `\n\n${message.content}`;
      }
      if (!last) out += '<|eot_id|>';
    } else if (message.role === 'tool') {
      out += `<|start_header_id|>ipython${HEADER_END}${message.content}<|eot_id|>`;
      if (last) out += GENERATION_PROMPT;
    }
  });
  return out;
}

/** Llama 3.2 answers a tool request with bare JSON, `{"name": …, "parameters": …}`, one per line. */
function output(reply: ModelReply): OutputSegment[] {
  if (reply.toolCalls.length === 0) return [{ kind: 'content', text: reply.content ?? '' }];
  const segments: OutputSegment[] = [];
  reply.toolCalls.forEach((call, index) => {
    if (index > 0) segments.push({ kind: 'hidden', text: '\n' });
    segments.push({
      kind: 'tool-call',
      call: index,
      text: `{"name": ${JSON.stringify(call.name)}, "parameters": ${modelJson(call.arguments)}}`,
    });
  });
  return segments;
}

export function llama3Template(): ChatTemplate {
  return {
    name: 'llama3.2',
    tokenizer: new SimTokenizer(LLAMA3_SPECIALS, LLAMA3_SPECIALS['<|begin_of_text|>']),
    render,
    output,
  };
}
