import { checkObject, checkOptionKeys } from '../agent/check-options.js';
import type { StageRecord, TurnProfile } from './profile.js';

export interface FormatProfileOptions {
  /** Columns for the waterfall bars (default 40). */
  width?: number;
  /** Use `#` and `|` instead of block characters (default false). */
  ascii?: boolean;
}

const formatMs = (ms: number): string =>
  ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString('en-US')} ms`;

function label(stage: StageRecord): string {
  return stage.round === undefined ? stage.name : `${stage.name} #${stage.round}`;
}

/**
 * Renders a turn's profile as a text waterfall: one row per stage on a shared time axis, with
 * its start, its duration and the cache status, then time to first token and total.
 */
export function formatProfile(profile: TurnProfile, options: FormatProfileOptions = {}): string {
  checkObject('formatProfile: options', options);
  checkOptionKeys<FormatProfileOptions>('formatProfile: options', options, { width: true, ascii: true });
  const width = options.width ?? 40;
  if (!Number.isInteger(width) || width < 10) {
    throw new TypeError(`formatProfile: width must be an integer >= 10, got ${String(width)}`);
  }
  const full = options.ascii ? '#' : '█';
  const tiny = options.ascii ? '|' : '▏';
  const scale = width / Math.max(profile.totalMs, 0.001);
  const names = profile.stages.map(label);
  const nameWidth = Math.max(5, ...names.map((name) => name.length));
  const starts = profile.stages.map((stage) => formatMs(stage.startMs));
  const durations = profile.stages.map((stage) => formatMs(stage.durationMs));
  const startWidth = Math.max(5, ...starts.map((text) => text.length));
  const durationWidth = Math.max(4, ...durations.map((text) => text.length));

  const lines = [
    `${'stage'.padEnd(nameWidth)}  ${'start'.padStart(startWidth)}  ${'time'.padStart(durationWidth)}  waterfall`,
  ];
  profile.stages.forEach((stage, index) => {
    const offset = Math.min(width - 1, Math.floor(stage.startMs * scale));
    const length = Math.max(0, Math.min(width - offset, Math.round(stage.durationMs * scale)));
    const bar = ' '.repeat(offset) + (length === 0 ? tiny : full.repeat(length));
    const notes: string[] = [];
    if (stage.cache && stage.cache !== 'off') notes.push(`cache ${stage.cache}`);
    const firstToken = stage.detail?.timeToFirstTokenMs;
    if (typeof firstToken === 'number') notes.push(`first token after ${formatMs(firstToken)}`);
    lines.push(
      `${names[index]!.padEnd(nameWidth)}  ${starts[index]!.padStart(startWidth)}  ${durations[index]!.padStart(durationWidth)}  ${bar.padEnd(width)}${notes.length ? `  ${notes.join(', ')}` : ''}`.trimEnd(),
    );
  });
  const firstToken = profile.timeToFirstTokenMs === null ? 'no text' : formatMs(profile.timeToFirstTokenMs);
  lines.push(
    `first token ${firstToken} · total ${formatMs(profile.totalMs)} · ${profile.ollamaCalls} Ollama call${profile.ollamaCalls === 1 ? '' : 's'} · ${(profile.tokens.input + profile.tokens.output).toLocaleString('en-US')} tokens`,
  );
  return lines.join('\n');
}
