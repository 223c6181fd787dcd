/**
 * The scripted model. Deterministic given its random source (seeded when the request is
 * deterministic). Rules, in order:
 *
 * 1. The last message is a `tool` result: answer in text that quotes the results of the trailing
 *    `tool` messages ("Here is what I found. get_weather: {...}."), padded to the answer length.
 * 2. Tools are offered and the last message is from the user and names tools (tool-match.ts):
 *    call every named tool, in the order named, with arguments filled from the message
 *    (tool-arguments.ts).
 * 3. `format` is set: a JSON object; with a schema, its properties filled like tool arguments;
 *    with `"json"`, `{"answer": <lead sentence>}`.
 * 4. Otherwise: text that starts from the prompt's keywords ("You asked about sky and blue."),
 *    then filler sentences to exactly the answer length.
 * With `think`, a one-sentence thinking text comes first.
 */
import { composeAnswer, keywords, leadFor } from './answer-text.js';
import { fillArguments } from './tool-arguments.js';
import { findToolMentions } from './tool-match.js';
import type { ScriptInput, ScriptReply } from './types.js';

const DEFAULT_ANSWER_TOKENS = 24;
const MAX_TOOL_RESULT_CHARS = 200;

function lastUserText(input: ScriptInput): string {
  for (let index = input.messages.length - 1; index >= 0; index--) {
    const message = input.messages[index];
    if (message?.role === 'user') return message.content;
  }
  return '';
}

function trailingToolMessages(input: ScriptInput): ScriptInput['messages'] {
  const results: ScriptInput['messages'] = [];
  for (let index = input.messages.length - 1; index >= 0; index--) {
    const message = input.messages[index];
    if (message?.role !== 'tool') break;
    results.unshift(message);
  }
  return results;
}

function thinkingAbout(text: string): string {
  const found = keywords(text);
  const topic = found.length === 0 ? 'a general question' : found.join(', ');
  return `The user asks about ${topic}. I will answer plainly.`;
}

function answerFromTools(input: ScriptInput, answerTokens: number): ScriptReply {
  const results = trailingToolMessages(input).map((message) => {
    const content = message.content.trim();
    const shown =
      content.length > MAX_TOOL_RESULT_CHARS ? `${content.slice(0, MAX_TOOL_RESULT_CHARS)}...` : content;
    return `${message.tool_name ?? 'the tool'}: ${shown}`;
  });
  const lead = `Here is what I found. ${results.join('; ')}.`;
  const reply: ScriptReply = { content: composeAnswer(lead, answerTokens, input.random) };
  if (input.think) reply.thinking = 'The tool results are in. I will summarise them.';
  return reply;
}

/** The default scripted model; pass your own `script` to `startOllamaSim` to replace it. */
export function defaultScript(input: ScriptInput): ScriptReply {
  const answerTokens = input.answerTokens ?? DEFAULT_ANSWER_TOKENS;
  const last = input.messages.at(-1);
  if (last?.role === 'tool') return answerFromTools(input, answerTokens);

  const userText = lastUserText(input);
  if (input.tools.length > 0 && last?.role === 'user') {
    const mentions = findToolMentions(
      userText,
      input.tools.map((tool) => tool.function.name),
    );
    if (mentions.length > 0) {
      const toolCalls = mentions.map((mention) => {
        const tool = input.tools.find((candidate) => candidate.function.name === mention.name);
        return {
          name: mention.name,
          arguments: fillArguments(tool?.function.parameters, userText, mention.position),
        };
      });
      const names = mentions.map((mention) => mention.name).join(', ');
      return input.think
        ? { toolCalls, thinking: `The user needs ${names}. I will call it.` }
        : { toolCalls };
    }
  }

  const thinking = input.think ? { thinking: thinkingAbout(userText) } : {};
  if (input.format !== undefined && input.format !== null && input.format !== '') {
    const schema = input.format;
    const isSchema = typeof schema === 'object' && 'properties' in schema;
    const object = isSchema ? fillArguments(schema, userText) : { answer: leadFor(userText) };
    return { content: JSON.stringify(object), ...thinking };
  }
  return { content: composeAnswer(leadFor(userText), answerTokens, input.random), ...thinking };
}
