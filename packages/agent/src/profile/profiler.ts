import type { CacheStatus } from '@lunar/ollama-stream';
import type { OllamaDurations, StageName, StageRecord, TurnProfile } from './profile.js';

export interface StageTimer {
  /** Ends the stage and records it; later calls do nothing. */
  end(fields?: { cache?: CacheStatus; detail?: Record<string, unknown> }): StageRecord;
}

/** Times one turn: stage starts and durations as offsets from the turn's start. */
export class Profiler {
  readonly #start = performance.now();
  readonly #stages: StageRecord[] = [];
  #firstToken: number | null = null;
  #ollamaCalls = 0;
  #rounds = 0;
  #toolCalls = 0;
  #inputTokens = 0;
  #outputTokens = 0;
  readonly #ollama: OllamaDurations = { loadMs: 0, promptEvalMs: 0, evalMs: 0, totalMs: 0 };

  /** Milliseconds since the turn started. */
  now(): number {
    return performance.now() - this.#start;
  }

  stage(name: StageName, round?: number): StageTimer {
    const startMs = this.now();
    let record: StageRecord | undefined;
    return {
      end: (fields = {}) => {
        if (record) return record;
        record = {
          name,
          ...(round === undefined ? {} : { round }),
          startMs,
          durationMs: this.now() - startMs,
        };
        if (fields.cache) record.cache = fields.cache;
        if (fields.detail) record.detail = fields.detail;
        this.#stages.push(record);
        return record;
      },
    };
  }

  /** Records a stage whose start and duration were measured elsewhere (e.g. tools started early). */
  record(
    name: StageName,
    startMs: number,
    durationMs: number,
    fields: { round?: number; cache?: CacheStatus; detail?: Record<string, unknown> } = {},
  ): StageRecord {
    const record: StageRecord = {
      name,
      ...(fields.round === undefined ? {} : { round: fields.round }),
      startMs,
      durationMs,
    };
    if (fields.cache) record.cache = fields.cache;
    if (fields.detail) record.detail = fields.detail;
    this.#stages.push(record);
    return record;
  }

  /** Marks the first text the user sees; only the first call counts. Returns the offset. */
  firstToken(): number {
    if (this.#firstToken === null) this.#firstToken = this.now();
    return this.#firstToken;
  }

  get timeToFirstTokenMs(): number | null {
    return this.#firstToken;
  }

  /** Counts one model round; `reachedOllama` is false for answers served from the cache. */
  round(usage: {
    reachedOllama: boolean;
    inputTokens?: number;
    outputTokens?: number;
    ollama?: Partial<OllamaDurations>;
  }): void {
    this.#rounds += 1;
    if (usage.reachedOllama) this.#ollamaCalls += 1;
    this.#inputTokens += usage.inputTokens ?? 0;
    this.#outputTokens += usage.outputTokens ?? 0;
    if (usage.reachedOllama && usage.ollama) {
      this.#ollama.loadMs += usage.ollama.loadMs ?? 0;
      this.#ollama.promptEvalMs += usage.ollama.promptEvalMs ?? 0;
      this.#ollama.evalMs += usage.ollama.evalMs ?? 0;
      this.#ollama.totalMs += usage.ollama.totalMs ?? 0;
    }
  }

  /** Counts tool calls the model made. */
  toolCalls(count: number): void {
    this.#toolCalls += count;
  }

  finish(model: string): TurnProfile {
    const totalMs = this.now();
    const stages = [...this.#stages].sort((a, b) => a.startMs - b.startMs);
    const otel: Record<string, number | string> = {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': model,
      'gen_ai.invoke_agent.duration': totalMs / 1000,
      'gen_ai.invoke_agent.inference_calls': this.#rounds,
      'gen_ai.invoke_agent.tool_calls': this.#toolCalls,
      'gen_ai.usage.input_tokens': this.#inputTokens,
      'gen_ai.usage.output_tokens': this.#outputTokens,
    };
    if (this.#firstToken !== null)
      otel['gen_ai.client.operation.time_to_first_chunk'] = this.#firstToken / 1000;
    return {
      stages,
      timeToFirstTokenMs: this.#firstToken,
      totalMs,
      ollamaCalls: this.#ollamaCalls,
      rounds: this.#rounds,
      toolCalls: this.#toolCalls,
      tokens: { input: this.#inputTokens, output: this.#outputTokens },
      ollama: { ...this.#ollama },
      otel,
    };
  }
}
