/**
 * The scripted model. Deterministic given its random source (seeded when the request is
 * deterministic). Rules, in order:
 *
 * 1. The last message is a `tool` result: one short sentence per trailing tool result, what it
 *    returned (scalar fields as `key value`) or that it failed, within the answer's budget.
 * 2. Tools are offered and the last message is from the user and names tools (tool-match.ts):
 *    call every named tool, in the order named, with arguments filled from the message
 *    (tool-arguments.ts).
 * 3. `format` is set: a JSON object; with a schema, its properties filled like tool arguments;
 *    with `"json"`, `{"answer": <lead sentence>}`.
 * 4. Otherwise: an answer that says it is simulated, what was asked about and which draw of the
 *    request's random source it is (so sampled answers differ), quotes the memory
 *    in the context that best matches the question (when there is one), then neutral sentences
 *    up to the answer's budget, ending at a sentence.
 * A thinking model thinks first, in sentences of the same kind.
 */
import { bestMemory, composeAnswer, keywords, leadFor, toolResultAnswer } from './answer-text.js';
import { fillArguments } from './tool-arguments.js';
import { findToolMentions } from './tool-match.js';
import type { ScriptInput, ScriptReply } from './types.js';

const DEFAULT_ANSWER_TOKENS = 24;

function lastUserIndex(input: ScriptInput): number {
  for (let index = input.messages.length - 1; index >= 0; index--) {
    if (input.messages[index]?.role === 'user') return index;
  }
  return -1;
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

function thinkingAbout(question: string, answerTokens: number, random: () => number): string {
  const found = keywords(question);
  const topic = found.length === 0 ? 'a general question' : found.join(', ');
  return composeAnswer(
    [`The user asks about ${topic}.`, 'This thinking is simulated.'],
    answerTokens,
    random,
  );
}

/** The default scripted model; pass your own `script` to `startOllamaSim` to replace it. */
export function defaultScript(input: ScriptInput): ScriptReply {
  const answerTokens = input.answerTokens ?? DEFAULT_ANSWER_TOKENS;
  const last = input.messages.at(-1);
  const userIndex = lastUserIndex(input);
  const question = input.messages[userIndex]?.content ?? '';

  if (last?.role === 'tool') {
    const results = trailingToolMessages(input).map((message) => ({
      name: message.tool_name ?? 'the tool',
      content: message.content,
    }));
    const reply: ScriptReply = { content: toolResultAnswer(results, answerTokens) };
    if (input.think) {
      reply.thinking = composeAnswer(
        ['The tool results are in.', 'I will say what each returned.'],
        answerTokens,
        input.random,
      );
    }
    return reply;
  }

  if (input.tools.length > 0 && last?.role === 'user') {
    const mentions = findToolMentions(
      question,
      input.tools.map((tool) => tool.function.name),
    );
    if (mentions.length > 0) {
      const toolCalls = mentions.map((mention) => {
        const tool = input.tools.find((candidate) => candidate.function.name === mention.name);
        return {
          name: mention.name,
          arguments: fillArguments(tool?.function.parameters, question, mention.position),
        };
      });
      if (!input.think) return { toolCalls };
      const names = mentions.map((mention) => mention.name).join(', ');
      return {
        toolCalls,
        thinking: composeAnswer([`The user needs ${names}.`, 'I will call it.'], answerTokens, input.random),
      };
    }
  }

  const thinking = input.think ? { thinking: thinkingAbout(question, answerTokens, input.random) } : {};
  if (input.format !== undefined && input.format !== null && input.format !== '') {
    const schema = input.format;
    const isSchema = typeof schema === 'object' && 'properties' in schema;
    const object = isSchema ? fillArguments(schema, question) : { answer: leadFor(question) };
    return { content: JSON.stringify(object), ...thinking };
  }
  const contexts = input.messages
    .filter((message, index) => index !== userIndex && (message.role === 'system' || message.role === 'user'))
    .map((message) => message.content);
  const memory = bestMemory(contexts, question);
  const draw = 1000 + Math.floor(input.random() * 9000);
  const sentences = [leadFor(question, draw), ...(memory === undefined ? [] : [`From memory: "${memory}".`])];
  return { content: composeAnswer(sentences, answerTokens, input.random), ...thinking };
}
