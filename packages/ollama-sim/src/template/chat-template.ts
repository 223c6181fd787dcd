/**
 * What every chat template shares: the messages it renders after Ollama's `collate`, and what a
 * template is (a rendering of the request, and the text the model writes back).
 */
import type { SimTokenizer } from '../tokenizer.js';
import type { TemplateName } from '../types.js';
import type { ToolDefinition } from './template-json.js';

export interface TemplateMessage {
  role: string;
  content: string;
  thinking?: string;
  images?: unknown[];
  tool_calls?: unknown[];
}

export interface RenderInput {
  messages: readonly TemplateMessage[];
  tools: readonly ToolDefinition[];
  /**
   * The request's `think` after Ollama's default (a thinking model thinks unless told not to),
   * or `undefined` when it is not set at all (the template's `IsThinkSet` is false).
   */
  think: boolean | undefined;
}

/** A scripted reply as the model writes it. */
export interface ModelReply {
  thinking?: string;
  content?: string;
  toolCalls: ReadonlyArray<{ name: string; arguments: Record<string, unknown> }>;
}

/**
 * A part of what the model writes: `hidden` text (tags, the whitespace around them) is decoded
 * but never sent; `thinking` and `content` stream; a `tool-call` is sent once all its tokens are.
 */
export type OutputSegment =
  | { kind: 'hidden' | 'thinking' | 'content'; text: string }
  | { kind: 'tool-call'; text: string; call: number };

export interface ChatTemplate {
  readonly name: TemplateName;
  /** The model's tokenizer: cl100k_base plus this template's special tokens. */
  readonly tokenizer: SimTokenizer;
  /** The prompt Ollama renders for a chat (what `_debug_render_only` returns). */
  render(input: RenderInput): string;
  /** What the model writes for `reply`, after the generation prompt, in order. */
  output(reply: ModelReply, think: boolean): OutputSegment[];
}

/**
 * Ollama's `imageTaggedMessages` and `collate` (server/prompt.go, template/template.go): each
 * image becomes an `[img-N]` tag before its message's text; every system message goes into
 * `System` (joined with a blank line); consecutive messages of one role other than `tool` are
 * merged into the first (contents joined with a blank line, its other fields kept).
 */
export function collate(messages: readonly TemplateMessage[]): {
  system: string;
  messages: TemplateMessage[];
} {
  const system: string[] = [];
  const collated: TemplateMessage[] = [];
  let images = 0;
  for (const message of messages) {
    let content = message.content;
    const count = message.images?.length ?? 0;
    if (count > 0) {
      let tags = '';
      for (let index = 0; index < count; index++) tags += `[img-${images++}]`;
      content = tags + content;
    }
    if (message.role === 'system') system.push(content);
    const previous = collated.at(-1);
    if (previous !== undefined && previous.role === message.role && message.role !== 'tool') {
      previous.content += `\n\n${content}`;
    } else {
      collated.push({ ...message, content });
    }
  }
  return { system: system.join('\n\n'), messages: collated };
}

/** A message's tool calls as `{name, arguments}` (missing parts as Ollama decodes them: empty). */
export function toolCallsOf(message: TemplateMessage): Array<{ name: string; arguments: unknown }> {
  return (message.tool_calls ?? []).map((call) => {
    const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
    return { name: typeof fn?.name === 'string' ? fn.name : '', arguments: fn?.arguments };
  });
}
