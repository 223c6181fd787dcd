/**
 * Decodes a scripted reply at the model's pace: thinking pieces, then content pieces (through the
 * stop filter), then each tool call, sent once all of its tokens are decoded, like Ollama's
 * tool parser. `num_predict` counts every decoded token.
 */
import type { Output, ToolCallOut } from './chunks.js';
import { renderToolCall } from './prompt-template.js';
import { randomId } from './random.js';
import { StopFilter } from './stop-filter.js';
import type { TokenClock } from './token-clock.js';
import { tokenize } from './tokenize.js';
import type { ScriptReply } from './types.js';

/** Sends part of the output; resolves false when a fault ended the response. */
export type Emit = (part: Partial<Output>) => Promise<boolean>;

export interface DecodeOptions {
  clock: TokenClock;
  /** Tokens to decode at most; 0 or less: no limit. */
  numPredict: number;
  stop: readonly string[];
  /** Tool call ids come from here. */
  random: () => number;
  emit: Emit;
  /** Called for each decoded token (stats, the slot's cache). */
  onToken(piece: string): void;
}

export interface Decoded {
  output: Output;
  doneReason: 'stop' | 'length';
  /** A fault ended the response: nothing more may be written. */
  ended: boolean;
}

export async function decodeReply(reply: ScriptReply, options: DecodeOptions): Promise<Decoded> {
  const output: Output = { content: '', thinking: '', toolCalls: [] };
  const result: Decoded = { output, doneReason: 'stop', ended: false };
  const decode = async (piece: string): Promise<boolean> => {
    if (options.numPredict > 0 && options.clock.count >= options.numPredict) {
      result.doneReason = 'length';
      return false;
    }
    await options.clock.next();
    options.onToken(piece);
    return true;
  };
  const send = async (part: Partial<Output>): Promise<boolean> => {
    if (await options.emit(part)) return true;
    result.ended = true;
    return false;
  };

  for (const piece of tokenize(reply.thinking ?? '')) {
    if (!(await decode(piece))) return result;
    output.thinking += piece;
    if (!(await send({ thinking: piece }))) return result;
  }

  const stops = new StopFilter(options.stop);
  let limited = false;
  for (const piece of tokenize(reply.content ?? '')) {
    if (!(await decode(piece))) {
      limited = true;
      break;
    }
    const { text, stopped } = stops.push(piece);
    output.content = stops.released;
    if (text !== '' && !(await send({ content: text }))) return result;
    if (stopped) return result;
  }
  const held = stops.flush();
  output.content = stops.released;
  if ((held !== '' && !(await send({ content: held }))) || limited) return result;

  const calls = 'toolCalls' in reply ? reply.toolCalls : [];
  for (const [index, call] of calls.entries()) {
    for (const piece of tokenize(renderToolCall(call.name, call.arguments))) {
      if (!(await decode(piece))) return result;
    }
    const toolCall: ToolCallOut = {
      id: `call_${randomId(options.random, 8)}`,
      function: { index, name: call.name, arguments: call.arguments },
    };
    output.toolCalls.push(toolCall);
    if (!(await send({ content: '', toolCalls: [toolCall] }))) return result;
  }
  return result;
}
