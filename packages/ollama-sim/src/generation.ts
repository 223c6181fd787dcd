/**
 * One chat or generate request after validation: take a slot, evaluate the uncached part of the
 * prompt, decode the scripted reply one token per chunk (thinking, then content, then each tool
 * call once its tokens are decoded), and finish with Ollama's final chunk and real durations.
 */
import { chatFinal, chatLine, generateFinal, generateLine, type Output, type ToolCallOut } from './chunks.js';
import { monotonicNs } from './clock.js';
import { goString } from './go-json.js';
import { type ModelRunner, sharedPrefix } from './model-runner.js';
import { renderToolCall } from './prompt-template.js';
import { hashString, randomId } from './random.js';
import type { RequestOptions } from './request-options.js';
import type { RequestContext } from './sim-state.js';
import { StopFilter } from './stop-filter.js';
import { TokenClock } from './token-clock.js';
import { countTokens, tokenize } from './tokenize.js';
import type { ScriptReply } from './types.js';

export interface GenerationPlan {
  route: 'chat' | 'generate';
  /** The model name as the client sent it (echoed back). */
  modelName: string;
  runner: ModelRunner;
  promptTokens: string[];
  reply: ScriptReply;
  stream: boolean;
  options: RequestOptions;
  /** The request's random source (after the script used it): tool call ids. */
  random: () => number;
  /** generate without `raw`: the final chunk carries `context`. */
  withContext: boolean;
}

const VOCABULARY_SIZE = 128_256;

/** Emits the output as it is decoded; returns false when a fault ended the response. */
type Emit = (part: Partial<Output>) => Promise<boolean>;

export async function runGeneration(
  context: RequestContext,
  plan: GenerationPlan,
  loadedNs: bigint,
): Promise<void> {
  const { sim, signal, writer } = context;
  const { runner, promptTokens, options } = plan;
  const { latency } = runner.model;
  const slot = await runner.acquireSlot(promptTokens, signal);
  const total = promptTokens.length;
  const cached = Math.max(0, Math.min(sharedPrefix(promptTokens, slot.cache), total - 1));
  let cache: string[] = promptTokens.slice(0, cached);
  try {
    sim.stats.promptTokensCached += cached;
    sim.stats.promptTokensEvaluated += total - cached;
    const prefillStart = monotonicNs();
    await sim.timers.sleep(((total - cached) / latency.promptTokensPerSecond) * 1000, signal);
    const promptEvalNs = monotonicNs() - prefillStart;
    cache = promptTokens.slice();

    const clock = new TokenClock(latency.tokensPerSecond, sim.timers, signal);
    const output: Output = { content: '', thinking: '', toolCalls: [] };
    const modelJson = goString(plan.modelName);
    const line = plan.route === 'chat' ? chatLine : generateLine;
    const emit: Emit = plan.stream ? (part) => writer.line(line(modelJson, part)) : async () => true;
    let doneReason = 'stop';
    const limitReached = () => options.numPredict > 0 && clock.count >= options.numPredict;
    const decode = async (piece: string): Promise<boolean> => {
      if (limitReached()) {
        doneReason = 'length';
        return false;
      }
      await clock.next();
      sim.stats.tokensGenerated++;
      cache.push(piece);
      return true;
    };

    const run = async (): Promise<boolean> => {
      const reply = plan.reply;
      for (const piece of tokenize(reply.thinking ?? '')) {
        if (!(await decode(piece))) return true;
        output.thinking += piece;
        if (!(await emit({ thinking: piece }))) return false;
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
        if (text !== '' && !(await emit({ content: text }))) return false;
        if (stopped) return true;
      }
      const held = stops.flush();
      output.content = stops.released;
      if (held !== '' && !(await emit({ content: held }))) return false;
      if (limited) return true;
      const calls = 'toolCalls' in reply ? reply.toolCalls : [];
      for (const [index, call] of calls.entries()) {
        const rendering = renderToolCall(call.name, call.arguments);
        for (const piece of tokenize(rendering)) if (!(await decode(piece))) return true;
        const toolCall: ToolCallOut = {
          id: `call_${randomId(plan.random, 8)}`,
          function: { index, name: call.name, arguments: call.arguments },
        };
        output.toolCalls.push(toolCall);
        if (!(await emit({ content: '', toolCalls: [toolCall] }))) return false;
      }
      return true;
    };
    if (!(await run())) return;

    const metrics = {
      totalNs: monotonicNs() - context.startNs,
      loadNs: loadedNs - context.startNs,
      promptEvalCount: total,
      promptEvalNs,
      evalCount: clock.count,
      evalNs: clock.elapsedNs,
    };
    const final = plan.stream ? { content: '' } : output;
    if (plan.route === 'chat') {
      const body = chatFinal(plan.modelName, final, doneReason, metrics);
      if (plan.stream) {
        if (await writer.line(body)) writer.end();
      } else {
        await writer.json(200, body);
      }
      return;
    }
    const contextIds = plan.withContext
      ? cache.map((piece) => hashString(piece) % VOCABULARY_SIZE)
      : undefined;
    const body = generateFinal(plan.modelName, final, doneReason, metrics, contextIds);
    if (plan.stream) {
      if (await writer.line(body)) writer.end();
    } else {
      await writer.json(200, body);
    }
  } finally {
    runner.releaseSlot(slot, cache);
  }
}

/** Tokens of a tool call as the model decodes it (for tests and docs). */
export function toolCallTokens(name: string, args: Record<string, unknown>): number {
  return countTokens(renderToolCall(name, args));
}
