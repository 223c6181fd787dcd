/**
 * One chat or generate request after validation: take a slot, evaluate the part of the prompt
 * its prefix cache does not hold, decode the scripted reply (reply-decoder.ts), and finish with
 * Ollama's final chunk carrying the durations really spent.
 */
import { chatFinal, chatLine, generateFinal, generateLine } from './chunks.js';
import { monotonicNs } from './clock.js';
import { goString } from './go-json.js';
import { type ModelRunner, sharedPrefix } from './model-runner.js';
import { decodeReply, type Emit } from './reply-decoder.js';
import type { RequestOptions } from './request-options.js';
import type { RequestContext } from './sim-state.js';
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

export async function runGeneration(
  context: RequestContext,
  plan: GenerationPlan,
  loadedNs: bigint,
): Promise<void> {
  const { sim, signal, writer } = context;
  const { runner, promptTokens } = plan;
  const slot = await runner.acquireSlot(promptTokens, signal);
  const total = promptTokens.length;
  // llama.cpp always evaluates at least the last prompt token.
  const cached = Math.max(0, Math.min(sharedPrefix(promptTokens, slot.cache), total - 1));
  let cache: number[] = promptTokens.slice(0, cached);
  try {
    sim.stats.promptTokensCached += cached;
    sim.stats.promptTokensEvaluated += total - cached;
    const prefillStart = monotonicNs();
    await sim.timers.sleep(((total - cached) / runner.model.latency.promptTokensPerSecond) * 1000, signal);
    const promptEvalNs = monotonicNs() - prefillStart;
    cache = promptTokens.slice();

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
