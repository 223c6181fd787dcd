/**
 * Decodes a scripted reply at the model's pace, token by token, as the model's template says
 * the model writes it (template/*.ts `output`): thinking pieces, content pieces (through the
 * stop filter), each tool call sent once all of its tokens are decoded, like Ollama's tool
 * parser; tags and the whitespace around them are decoded and never sent. `num_predict` counts
 * every decoded token.
 */
import type { Output, ToolCallOut } from './chunks.js';
import { randomId } from './random.js';
import { StopFilter } from './stop-filter.js';
import type { ChatTemplate } from './template/chat-template.js';
import type { TokenClock } from './token-clock.js';
import type { ScriptReply } from './types.js';

/** Sends part of the output; resolves false when a fault ended the response. */
export type Emit = (part: Partial<Output>) => Promise<boolean>;

export interface DecodeOptions {
  template: ChatTemplate;
  /** The model thinks (its output opens with a think block where the template has one). */
  think: boolean;
  clock: TokenClock;
  /** Tokens to decode at most; 0 or less: no limit. */
  numPredict: number;
  stop: readonly string[];
  /** Tool call ids come from here. */
  random: () => number;
  emit: Emit;
  /** Called for each decoded token (stats, the slot's cache). */
  onToken(id: number): void;
}

export interface Decoded {
  output: Output;
  doneReason: 'stop' | 'length';
  /** A fault ended the response: nothing more may be written. */
  ended: boolean;
}

/** Characters tokenized at a time: a long reply starts streaming before all of it is tokenized. */
const SLICE_CHARS = 2048;

/**
 * The ids of `text` and the text each adds, a slice at a time. Slices end before a space that
 * follows a non-space character, where the BPE's pre-tokenizer splits anyway, so the tokens are
 * those of the whole text.
 */
function* tokenSlices(
  tokenizer: ChatTemplate['tokenizer'],
  text: string,
  withPieces: boolean,
): Generator<{ ids: number[]; pieces: string[] }> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + SLICE_CHARS);
    while (end < text.length && !(text[end] === ' ' && !/\s/.test(text[end - 1] ?? ' '))) end++;
    const ids = tokenizer.encode(text.slice(start, end));
    yield { ids, pieces: withPieces ? tokenizer.pieces(ids) : [] };
    start = end;
  }
}

export async function decodeReply(reply: ScriptReply, options: DecodeOptions): Promise<Decoded> {
  const output: Output = { content: '', thinking: '', toolCalls: [] };
  const result: Decoded = { output, doneReason: 'stop', ended: false };
  const { tokenizer } = options.template;
  const calls = 'toolCalls' in reply ? reply.toolCalls : [];
  const segments = options.template.output(
    {
      ...(reply.thinking === undefined ? {} : { thinking: reply.thinking }),
      ...(reply.content === undefined ? {} : { content: reply.content }),
      toolCalls: calls,
    },
    options.think,
  );
  /** Decodes one token; false once `num_predict` is reached. */
  const decode = async (id: number): Promise<boolean> => {
    if (options.numPredict > 0 && options.clock.count >= options.numPredict) {
      result.doneReason = 'length';
      return false;
    }
    await options.clock.next();
    options.onToken(id);
    return true;
  };
  const send = async (part: Partial<Output>): Promise<boolean> => {
    if (await options.emit(part)) return true;
    result.ended = true;
    return false;
  };

  const stops = new StopFilter(options.stop);
  for (const segment of segments) {
    const streamed = segment.kind === 'thinking' || segment.kind === 'content';
    for (const { ids, pieces } of tokenSlices(tokenizer, segment.text, streamed)) {
      for (const [index, id] of ids.entries()) {
        if (!(await decode(id))) {
          if (segment.kind === 'content') await flushHeld(stops, output, send);
          return result;
        }
        const piece = pieces[index] ?? '';
        if (segment.kind === 'thinking' && piece !== '') {
          output.thinking += piece;
          if (!(await send({ thinking: piece }))) return result;
        } else if (segment.kind === 'content' && piece !== '') {
          const { text, stopped } = stops.push(piece);
          output.content = stops.released;
          if (text !== '' && !(await send({ content: text }))) return result;
          if (stopped) return result;
        }
      }
    }
    if (segment.kind === 'content' && !(await flushHeld(stops, output, send))) return result;
    if (segment.kind === 'tool-call') {
      const call = calls[segment.call];
      if (call === undefined) continue;
      const toolCall: ToolCallOut = {
        id: `call_${randomId(options.random, 8)}`,
        function: { index: segment.call, name: call.name, arguments: call.arguments },
      };
      output.toolCalls.push(toolCall);
      if (!(await send({ content: '', toolCalls: [toolCall] }))) return result;
    }
  }
  return result;
}

/** Sends what the stop filter still holds back (the text ended without a stop sequence). */
async function flushHeld(
  stops: StopFilter,
  output: Output,
  send: (part: Partial<Output>) => Promise<boolean>,
): Promise<boolean> {
  const held = stops.flush();
  output.content = stops.released;
  return held === '' || send({ content: held });
}
