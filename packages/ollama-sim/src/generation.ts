/**
 * One chat or generate request after validation: take a slot, evaluate the part of the prompt
 * its prefix cache does not hold, decode the scripted reply (reply-decoder.ts), and finish with
 * Ollama's final chunk carrying the durations really spent.
 */
import { chatFinal, chatLine, generateFinal, generateLine } from './chunks.js';
import { monotonicNs } from './clock.js';
import { goString } from './go-json.js';
import type { ModelRunner } from './model-runner.js';
import { decodeReply, type Emit } from './reply-decoder.js';
import type { RequestOptions } from './request-options.js';
import { sharedPrefix } from './shared-prefix.js';
import type { AnswerContext } from './sim-state.js';
import { TokenClock } from './token-clock.js';
import type { ScriptReply } from './types.js';

export interface GenerationPlan {
  route: 'chat' | 'generate';
  /** The model name as the client sent it (echoed back). */
  modelName: string;
  runner: ModelRunner;
  promptTokens: number[];
  reply: ScriptReply;
  /** The model thinks (its output opens with a think block where the template has one). */
  think: boolean;
  stream: boolean;
  options: RequestOptions;
  /** The request's random source (after the script used it): tool call ids. */
  random: () => number;
  /** generate without `raw`: the final chunk carries `context`. */
  withContext: boolean;
}

/**
 * llama-server notices a client gone only when its wait for the request's next result times out:
 * every `HTTP_POLLING_SECONDS` (1 s, tools/server/server-context.cpp), and a prefill sends no
 * result. It then cancels the task, which its loop handles between two batches of `num_batch`
 * prompt tokens (ggml-org/llama.cpp#11889 and Ollama's docs say the same of older runners: the
 * prefill still runs). Meanwhile the slot stays busy, so a request queued behind waits.
 */
const POLL_MS = 1000;

/**
 * Evaluates `tokens` prompt tokens at the model's speed. When the client goes away meanwhile,
 * the work goes on to the end of the batch running at llama-server's next poll (or the end of
 * the prompt, if sooner). Resolves with the tokens evaluated; only the simulator's closing
 * stops it at once.
 */
async function prefill(
  context: AnswerContext,
  runner: ModelRunner,
  tokens: number,
  batchTokens: number,
): Promise<number> {
  const { sim, signal } = context;
  const rate = runner.model.latency.promptTokensPerSecond;
  const fullMs = (tokens / rate) * 1000;
  const started = performance.now();
  try {
    await sim.timers.sleep(fullMs, signal);
    return tokens;
  } catch (error) {
    if (!signal.aborted || sim.closed.aborted) throw error;
    const elapsed = performance.now() - started;
    const poll = Math.max(1, Math.ceil(elapsed / POLL_MS)) * POLL_MS;
    const batchMs = (batchTokens / rate) * 1000;
    const stopAt = Math.min(fullMs, Math.ceil(poll / batchMs) * batchMs);
    await sim.timers.sleep(stopAt - elapsed, sim.closed);
    return Math.min(tokens, Math.round((stopAt / 1000) * rate));
  }
}

export async function runGeneration(
  context: AnswerContext,
  plan: GenerationPlan,
  loadedNs: bigint,
): Promise<void> {
  const { sim, signal, writer } = context;
  const { runner, promptTokens } = plan;
  const slot = await runner.acquireSlot({ tokens: promptTokens, kind: 'completion' }, signal);
  const total = promptTokens.length;
  // llama.cpp always evaluates at least the last prompt token.
  const cached = Math.max(0, Math.min(sharedPrefix(promptTokens, slot.cache), total - 1));
  let cache: number[] = promptTokens.slice(0, cached);
  try {
    sim.stats.promptTokensCached += cached;
    sim.stats.promptTokensEvaluated += total - cached;
    const prefillStart = monotonicNs();
    const evaluated = await prefill(context, runner, total - cached, plan.options.numBatch);
    cache = promptTokens.slice(0, cached + evaluated);
    signal.throwIfAborted();
    const promptEvalNs = monotonicNs() - prefillStart;

    const modelJson = goString(plan.modelName);
    const line = plan.route === 'chat' ? chatLine : generateLine;
    const emit: Emit = plan.stream ? (part) => writer.line(line(modelJson, part)) : async () => true;
    const clock = new TokenClock(runner.model.latency.tokensPerSecond, sim.timers, signal);
    const { output, doneReason, ended } = await decodeReply(plan.reply, {
      template: runner.model.template,
      think: plan.think,
      clock,
      numPredict: plan.options.numPredict,
      stop: plan.options.stop,
      random: plan.random,
      emit,
      onToken(id) {
        sim.stats.tokensGenerated++;
        cache.push(id);
      },
    });
    if (ended) return;

    const metrics = {
      totalNs: monotonicNs() - context.startNs,
      loadNs: loadedNs - context.startNs,
      promptEvalCount: total,
      promptEvalNs,
      evalCount: clock.count,
      evalNs: clock.elapsedNs,
    };
    const final = plan.stream ? { content: '' } : output;
    const body =
      plan.route === 'chat'
        ? chatFinal(plan.modelName, final, doneReason, metrics)
        : generateFinal(plan.modelName, final, doneReason, metrics, plan.withContext ? cache : undefined);
    if (!plan.stream) await writer.json(200, body);
    else if (await writer.line(body)) writer.end();
  } finally {
    runner.releaseSlot(slot, cache);
  }
}
