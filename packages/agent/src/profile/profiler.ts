import type { CacheStatus } from '@lunar/ollama-stream';
import { criticalStages } from './critical-path.js';
import type { OllamaDurations, StageName, StageRecord, ToolSpan, TurnProfile } from './profile.js';

export interface StageTimer {
  /** Ends the stage and records it; later calls do nothing. */
  end(fields?: { cache?: CacheStatus; detail?: Record<string, unknown> }): StageRecord;
}

/** How a tool call ended, as the profile keeps it. */
export interface ToolEnd {
  callId: string;
  name: string;
  ok: boolean;
  /** The failure's kind when `ok` is false. */
  errorCode?: string;
  cache: CacheStatus;
}

const endOf = (record: { startMs: number; durationMs: number }) => record.startMs + record.durationMs;

/**
 * Tool calls that start less than this after the previous ones ended belong to the same burst:
 * calls committed together start one after another within microseconds, and a gap this short is
 * nobody's time worth a row of its own.
 */
const BURST_GAP_MS = 1;

/** Times one turn: stage starts and durations as offsets from the turn's start. */
export class Profiler {
  /** `performance.now()` when the turn started: every offset counts from it. */
  readonly startedAt = performance.now();
  readonly #stages: StageRecord[] = [];
  readonly #toolSpans: ToolSpan[] = [];
  /** When each running tool call started, by call id. */
  readonly #toolStarts = new Map<string, number>();
  /** Ends of tool calls that took over a speculative call which had ended already. */
  readonly #toolEnds = new Map<string, number>();
  #firstToken: number | null = null;
  #ollamaCalls = 0;
  #rounds = 0;
  #toolCalls = 0;
  #inputTokens = 0;
  #outputTokens = 0;
  readonly #ollama: OllamaDurations = { loadMs: 0, promptEvalMs: 0, evalMs: 0, totalMs: 0 };

  /** Milliseconds since the turn started. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  stage(name: StageName, round?: number): StageTimer {
    const startMs = this.now();
    let record: StageRecord | undefined;
    return {
      end: (fields = {}) => {
        record ??= this.record(name, startMs, this.now() - startMs, {
          ...(round === undefined ? {} : { round }),
          ...fields,
        });
        return record;
      },
    };
  }

  /** Records a stage whose start and duration were measured elsewhere (e.g. spread over the turn). */
  record(
    name: StageName,
    startMs: number,
    durationMs: number,
    fields: {
      round?: number;
      cache?: CacheStatus;
      waitingFor?: StageRecord['waitingFor'];
      detail?: Record<string, unknown>;
    } = {},
  ): StageRecord {
    const record: StageRecord = {
      name,
      ...(fields.round === undefined ? {} : { round: fields.round }),
      startMs,
      durationMs,
    };
    if (fields.cache) record.cache = fields.cache;
    if (fields.waitingFor) record.waitingFor = fields.waitingFor;
    if (fields.detail) record.detail = fields.detail;
    this.#stages.push(record);
    return record;
  }

  /** A tool call got its slot: its `execute` is called now. */
  toolStarted(callId: string): void {
    this.#toolStarts.set(callId, this.now());
  }

  /**
   * A tool call took over a speculative call of the same tool and arguments: the tool ran from
   * `startMs`, before the model asked for it, to `endMs` when it had ended by then (else to when
   * its result comes).
   */
  toolTakenOver(callId: string, startMs: number, endMs: number | undefined): void {
    this.#toolStarts.set(callId, startMs);
    if (endMs !== undefined) this.#toolEnds.set(callId, endMs);
  }

  /** A tool call has its result: records its span (a call that never started spans no time). */
  toolEnded(round: number, end: ToolEnd): ToolSpan {
    const endMs = this.#toolEnds.get(end.callId) ?? this.now();
    const startMs = this.#toolStarts.get(end.callId) ?? endMs;
    this.#toolStarts.delete(end.callId);
    this.#toolEnds.delete(end.callId);
    const span: ToolSpan = {
      callId: end.callId,
      name: end.name,
      round,
      startMs,
      durationMs: endMs - startMs,
      cache: end.cache,
      ok: end.ok,
      ...(end.errorCode === undefined ? {} : { errorCode: end.errorCode }),
      early: false,
    };
    this.#toolSpans.push(span);
    return span;
  }

  /**
   * Records a round's `tools` stages from its tool spans: one per burst of tools that ran at once
   * (overlapping spans, or less than 1 ms apart), from its first tool's start to its last one's result: the tools' own time
   * and never the model's, even when eager tools started one by one as the model wrote their
   * calls. When the tools started while the model still wrote, the part of the round where one
   * side waited for the other is a `wait` stage: for the tools when they ended after the model,
   * for the model when they ended before it. Returns the records made, in time order.
   */
  toolsStage(round: number, fields: { toolCache: boolean; detail: Record<string, unknown> }): StageRecord[] {
    const spans = this.#toolSpans
      .filter((span) => span.round === round)
      .sort((a, b) => a.startMs - b.startMs);
    const model = this.#stages.find((stage) => stage.name === 'llm' && stage.round === round);
    const modelEnd = model ? endOf(model) : Number.NEGATIVE_INFINITY;
    for (const span of spans) span.early = span.startMs < modelEnd;
    const bursts: ToolSpan[][] = [];
    for (const span of spans) {
      const last = bursts.at(-1);
      if (last && span.startMs <= Math.max(...last.map(endOf)) + BURST_GAP_MS) last.push(span);
      else bursts.push([span]);
    }
    if (bursts.length === 0) bursts.push([]);
    const records = bursts.map((burst) => {
      const now = this.now();
      const startMs = burst.length > 0 ? burst[0]!.startMs : now;
      const endMs = burst.length > 0 ? Math.max(...burst.map(endOf)) : now;
      const every = (status: CacheStatus) => burst.length > 0 && burst.every((span) => span.cache === status);
      return this.record('tools', startMs, endMs - startMs, {
        round,
        cache: !fields.toolCache ? 'off' : every('hit') ? 'hit' : every('bypass') ? 'bypass' : 'miss',
        detail: {
          ...fields.detail,
          calls: burst.length,
          failed: burst.filter((span) => !span.ok).length,
          fromCache: burst.filter((span) => span.cache === 'hit').length,
          startedEarly: burst.filter((span) => span.early).length,
        },
      });
    });
    const endMs = Math.max(...records.map(endOf));
    if (!model || records[0]!.startMs >= modelEnd || endMs === modelEnd) return records;
    const wait =
      endMs > modelEnd
        ? this.record('wait', modelEnd, endMs - modelEnd, { round, waitingFor: 'tools' })
        : this.record('wait', endMs, modelEnd - endMs, { round, waitingFor: 'llm' });
    return [...records, wait].sort((a, b) => a.startMs - b.startMs);
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

  /**
   * The profile so far: stages in start order (copies, the ones on the path to the first token
   * marked `critical`), tool spans in start order, the totals.
   */
  finish(model: string): TurnProfile {
    const totalMs = this.now();
    const critical = criticalStages(this.#stages, this.#firstToken);
    const stages = this.#stages
      .map((stage) => (critical.has(stage) ? { ...stage, critical: true } : { ...stage }))
      .sort((a, b) => a.startMs - b.startMs);
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
      toolSpans: this.#toolSpans.map((span) => ({ ...span })).sort((a, b) => a.startMs - b.startMs),
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
