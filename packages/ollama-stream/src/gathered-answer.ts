import type { ToolCall } from './chat-types.js';
import type { ChunkBase, Logprob, TokenLogprob } from './common-types.js';

/** Rough JSON size of one logprob entry's keys and number, besides its token and bytes. */
const ENTRY_COST = 32;
/** Rough JSON size of one element of an entry's `bytes`. */
const BYTE_COST = 4;
/** Rough JSON size of a tool call's keys, besides its name and arguments. */
const TOOL_CALL_COST = 48;

function entrySize(entry: TokenLogprob | null | undefined): number {
  if (typeof entry !== 'object' || entry === null) return ENTRY_COST;
  const { token, bytes } = entry;
  return (
    ENTRY_COST +
    (typeof token === 'string' ? token.length : 0) +
    (Array.isArray(bytes) ? bytes.length * BYTE_COST : 0)
  );
}

function logprobSize(logprob: Logprob | null | undefined): number {
  let size = entrySize(logprob);
  const top = logprob?.top_logprobs;
  if (Array.isArray(top)) for (const entry of top) size += entrySize(entry);
  return size;
}

/** Chunks with tool calls are rare and validated in full anyway, so their arguments may be stringified. */
function toolCallSize(call: ToolCall): number {
  return TOOL_CALL_COST + call.function.name.length + (JSON.stringify(call.function.arguments)?.length ?? 0);
}

/**
 * The text, thinking, tool calls and logprobs of a streamed answer, gathered for `final()`, up to
 * `limit`. Sizes are estimated cheaply, from string lengths and a fixed cost per logprob entry (no
 * JSON.stringify of plain chunks: this runs for every chunk). Past the limit it drops what it
 * gathered and keeps nothing more.
 */
export class GatheredAnswer {
  content = '';
  thinking = '';
  toolCalls: ToolCall[] = [];
  logprobs: Logprob[] = [];
  /** Estimated size of what is kept, in bytes of JSON (string lengths for text). */
  size = 0;
  overflowed = false;
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Gather one chunk's parts; false once the answer passed `limit` (this chunk included). */
  add(
    content: string | undefined,
    thinking: string | undefined,
    toolCalls: ToolCall[] | undefined,
    chunk: ChunkBase,
  ): boolean {
    if (this.overflowed) return false;
    let size = this.size;
    if (typeof content === 'string' && content !== '') {
      this.content += content;
      size += content.length;
    }
    if (typeof thinking === 'string' && thinking !== '') {
      this.thinking += thinking;
      size += thinking.length;
    }
    if (toolCalls) {
      for (const call of toolCalls) {
        this.toolCalls.push(call);
        size += toolCallSize(call);
      }
    }
    if (Array.isArray(chunk.logprobs)) {
      for (const logprob of chunk.logprobs) {
        this.logprobs.push(logprob);
        size += logprobSize(logprob);
      }
    }
    this.size = size;
    if (size <= this.limit) return true;
    this.overflowed = true;
    this.content = '';
    this.thinking = '';
    this.toolCalls = [];
    this.logprobs = [];
    return false;
  }

  extras(): { thinking?: string; tool_calls?: ToolCall[] } {
    return {
      ...(this.thinking === '' ? {} : { thinking: this.thinking }),
      ...(this.toolCalls.length === 0 ? {} : { tool_calls: this.toolCalls }),
    };
  }
}
