import { checkObject, checkOptionKeys } from '../agent/check-options.js';
import { type StageRecord, stageLabel, type ToolSpan, type TurnProfile, toolSpansOf } from './profile.js';

export interface FormatProfileOptions {
  /** Columns for the waterfall bars (default 40). */
  width?: number;
  /** Use `#`, `-` and `|` instead of block characters (default false). */
  ascii?: boolean;
}

const formatMs = (ms: number): string =>
  ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString('en-US')} ms`;

/** One line of the waterfall: a stage, or a tool call under the `tools` stage that covers it. */
interface Row {
  label: string;
  startMs: number;
  durationMs: number;
  critical: boolean;
  notes: string[];
}

function stageNotes(stage: StageRecord): string[] {
  const notes: string[] = [];
  if (stage.cache && stage.cache !== 'off') notes.push(`cache ${stage.cache}`);
  const firstChunk = stage.detail?.timeToFirstTokenMs;
  if (typeof firstChunk === 'number') notes.push(`first chunk after ${formatMs(firstChunk)}`);
  if (stage.name === 'wait')
    notes.push(
      stage.waitingFor === 'tools'
        ? 'the model was done, its tools were not'
        : 'the tools were done, the model was not',
    );
  return notes;
}

function spanNotes(span: ToolSpan): string[] {
  const notes: string[] = [];
  if (span.cache === 'hit' || span.cache === 'miss') notes.push(`cache ${span.cache}`);
  if (!span.ok) notes.push(`failed (${span.errorCode ?? 'error'})`);
  if (span.early) notes.push('started while the model wrote');
  return notes;
}

/** The rows in start order, each tool call right under the `tools` stage that covers it. */
function rows(profile: TurnProfile): Row[] {
  const result: Row[] = [];
  for (const stage of profile.stages) {
    result.push({
      label: stageLabel(stage),
      startMs: stage.startMs,
      durationMs: stage.durationMs,
      critical: stage.critical === true,
      notes: stageNotes(stage),
    });
    const stageEnd = stage.startMs + stage.durationMs;
    for (const span of toolSpansOf(stage, profile.toolSpans)) {
      result.push({
        label: `  ${span.name}`,
        startMs: span.startMs,
        durationMs: span.durationMs,
        // The call the stage ended with is the one the critical path waited for.
        critical: stage.critical === true && span.startMs + span.durationMs >= stageEnd,
        notes: spanNotes(span),
      });
    }
  }
  return result;
}

/**
 * Renders a turn's profile as a text waterfall: one row per stage on a shared time axis (each
 * tool call under its `tools` row), with its start, its duration and the cache status,
 * then time to first token and total. The stages the first token waited for (its critical path)
 * are marked `*` and drawn solid; the others, which ran beside that path, are drawn light.
 */
export function formatProfile(profile: TurnProfile, options: FormatProfileOptions = {}): string {
  checkObject('formatProfile: options', options);
  checkOptionKeys<FormatProfileOptions>('formatProfile: options', options, { width: true, ascii: true });
  const width = options.width ?? 40;
  if (!Number.isInteger(width) || width < 10) {
    throw new TypeError(`formatProfile: width must be an integer >= 10, got ${String(width)}`);
  }
  const solid = options.ascii ? '#' : '█';
  const light = options.ascii ? '-' : '░';
  const tiny = options.ascii ? '|' : '▏';
  const scale = width / Math.max(profile.totalMs, 0.001);
  const lines = rows(profile);
  const nameWidth = Math.max(5, ...lines.map((row) => row.label.length));
  const starts = lines.map((row) => formatMs(row.startMs));
  const durations = lines.map((row) => formatMs(row.durationMs));
  const startWidth = Math.max(5, ...starts.map((text) => text.length));
  const durationWidth = Math.max(4, ...durations.map((text) => text.length));

  const out = [
    `  ${'stage'.padEnd(nameWidth)}  ${'start'.padStart(startWidth)}  ${'time'.padStart(durationWidth)}  waterfall`,
  ];
  lines.forEach((row, index) => {
    const offset = Math.min(width - 1, Math.floor(row.startMs * scale));
    const length = Math.max(0, Math.min(width - offset, Math.round(row.durationMs * scale)));
    const bar = ' '.repeat(offset) + (length === 0 ? tiny : (row.critical ? solid : light).repeat(length));
    out.push(
      `${row.critical ? '*' : ' '} ${row.label.padEnd(nameWidth)}  ${starts[index]!.padStart(startWidth)}  ${durations[index]!.padStart(durationWidth)}  ${bar.padEnd(width)}${row.notes.length ? `  ${row.notes.join(', ')}` : ''}`.trimEnd(),
    );
  });
  const firstToken = profile.timeToFirstTokenMs === null ? 'no text' : formatMs(profile.timeToFirstTokenMs);
  if (lines.some((row) => row.critical)) out.push('* the first token waited for these (its critical path)');
  out.push(
    `first token ${firstToken} · total ${formatMs(profile.totalMs)} · ${profile.ollamaCalls} Ollama call${profile.ollamaCalls === 1 ? '' : 's'} · ${(profile.tokens.input + profile.tokens.output).toLocaleString('en-US')} tokens`,
  );
  return out.join('\n');
}
