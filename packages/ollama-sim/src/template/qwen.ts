/**
 * The Qwen templates Ollama's registry ships: qwen3 (`qwen3:8b`) and qwen2.5 (template blob
 * eb4402837c78), which is also the simulator's fallback for models of other families. Both are
 * ChatML with the tool definitions in the system block:
 *
 *     <|im_start|>system\n{System}\n\n# Tools\n\n… <tools>\n{"type": "function", "function": {…}}\n…
 *     </tools>\n\nFor each function call, … </tool_call><|im_end|>\n
 *     user:      <|im_start|>user\n{content}<|im_end|>\n
 *     assistant: <|im_start|>assistant\n{content, or <tool_call>\n{"name": "f", "arguments": {…}}\n…</tool_call>}<|im_end|>\n
 *     tool:      <|im_start|>user\n<tool_response>\n{content}\n</tool_response><|im_end|>\n
 *     generation prompt: <|im_start|>assistant\n
 *
 * qwen3 adds the think logic: ` /think` or ` /no_think` at the end of the last user message
 * when `think` is set (Ollama sets it for every request to a thinking model since v0.12.4),
 * `<think>{thinking}</think>\n` before assistant messages after the last user message, and an
 * empty think block after the generation prompt when thinking is off. It also writes
 * `<|im_start|>system\n\n{System}` where qwen2.5 writes `<|im_start|>system\n{System}`.
 *
 * The function definitions are printed as JSON (`{"name":…,"description":…,"parameters":…}`), as
 * Ollama did up to v0.13 and does again with the fix of ollama/ollama#14601 (PR #18391): from
 * v0.14.0 on, `{{ .Function }}` prints a Go struct instead (`{get_weather Get the … {object
 * <nil> <nil> [city] {…}}}`), shorter than the JSON. The simulator keeps the JSON on purpose,
 * so it never counts fewer prompt tokens for qwen3 than a fixed Ollama evaluates.
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
import { argumentsJson, modelJson, toolFunctionJson } from './template-json.js';

/** Qwen's special tokens and their ids (tokenizer_config.json of Qwen2.5 and Qwen3). */
export const QWEN_SPECIALS = {
  '<|endoftext|>': 151643,
  '<|im_start|>': 151644,
  '<|im_end|>': 151645,
  '<tool_call>': 151657,
  '</tool_call>': 151658,
  '<tool_response>': 151665,
  '</tool_response>': 151666,
  '<think>': 151667,
  '</think>': 151668,
};

const TOOLS_INTRO =
  '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>';
const TOOLS_OUTRO =
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>';

function renderQwen(input: RenderInput, thinkLogic: boolean): string {
  const { system, messages } = collate(input.messages);
  const thinkSet = thinkLogic && input.think !== undefined;
  let lastUser = -1;
  messages.forEach((message, index) => {
    if (message.role === 'user') lastUser = index;
  });
  let out = '';
  if (system !== '' || input.tools.length > 0) {
    out += thinkLogic ? '<|im_start|>system\n' : '<|im_start|>system';
    if (system !== '') out += `\n${system}`;
    if (input.tools.length > 0) {
      out += TOOLS_INTRO;
      for (const tool of input.tools) out += `\n{"type": "function", "function": ${toolFunctionJson(tool)}}`;
      out += TOOLS_OUTRO;
    }
    out += '<|im_end|>\n';
  }
  messages.forEach((message, index) => {
    const last = index === messages.length - 1;
    if (message.role === 'user') {
      out += `<|im_start|>user\n${message.content}`;
      if (thinkSet && index === lastUser) out += input.think ? ' /think' : ' /no_think';
      out += '<|im_end|>\n';
    } else if (message.role === 'assistant') {
      out += '<|im_start|>assistant\n';
      if (thinkSet && message.thinking && (last || index > lastUser)) {
        out += `<think>${message.thinking}</think>\n`;
      }
      const calls = toolCallsOf(message);
      if (message.content !== '') {
        out += message.content;
      } else if (calls.length > 0) {
        out += '<tool_call>\n';
        for (const call of calls) {
          out += `{"name": "${call.name}", "arguments": ${argumentsJson(call.arguments)}}\n`;
        }
        out += '</tool_call>';
      }
      if (!last) out += '<|im_end|>\n';
    } else if (message.role === 'tool') {
      out += `<|im_start|>user\n<tool_response>\n${message.content}\n</tool_response><|im_end|>\n`;
    }
    if (message.role !== 'assistant' && last) {
      out += '<|im_start|>assistant\n';
      if (thinkSet && !input.think) out += '<think>\n\n</think>\n\n';
    }
  });
  return out;
}

/** Qwen writes its thinking in a think block, then text or one `<tool_call>` block per call. */
function outputQwen(reply: ModelReply, think: boolean): OutputSegment[] {
  const segments: OutputSegment[] = [];
  if (think) {
    segments.push({ kind: 'hidden', text: '<think>\n' });
    if (reply.thinking) segments.push({ kind: 'thinking', text: reply.thinking });
    segments.push({ kind: 'hidden', text: '\n</think>\n\n' });
  }
  if (reply.toolCalls.length === 0) {
    segments.push({ kind: 'content', text: reply.content ?? '' });
    return segments;
  }
  reply.toolCalls.forEach((call, index) => {
    segments.push({ kind: 'hidden', text: index === 0 ? '<tool_call>\n' : '\n<tool_call>\n' });
    segments.push({
      kind: 'tool-call',
      call: index,
      text: `{"name": ${JSON.stringify(call.name)}, "arguments": ${modelJson(call.arguments)}}`,
    });
    segments.push({ kind: 'hidden', text: '\n</tool_call>' });
  });
  return segments;
}

export function qwen3Template(): ChatTemplate {
  return {
    name: 'qwen3',
    tokenizer: new SimTokenizer(QWEN_SPECIALS),
    render: (input) => renderQwen(input, true),
    output: outputQwen,
  };
}

/** qwen2.5's template: no think logic, so a thinking model on it gets no think block either. */
export function qwen25Template(): ChatTemplate {
  return {
    name: 'qwen2.5',
    tokenizer: new SimTokenizer(QWEN_SPECIALS),
    render: (input) => renderQwen(input, false),
    output: (reply) => outputQwen(reply, false),
  };
}
