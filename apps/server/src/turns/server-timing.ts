import type { StageRecord } from '@lunar/agent';

/**
 * A `Server-Timing` header value for finished stages:
 * `input-guards;dur=0.412, memory-search;desc="cache hit";dur=1.250`.
 */
export function serverTiming(stages: readonly StageRecord[]): string {
  return stages
    .map((stage) => {
      const notes = [
        stage.round === undefined ? undefined : `round ${stage.round}`,
        stage.cache === undefined ? undefined : `cache ${stage.cache}`,
      ].filter((note) => note !== undefined);
      const description = notes.length === 0 ? '' : `;desc="${notes.join(', ')}"`;
      return `${stage.name}${description};dur=${stage.durationMs.toFixed(3)}`;
    })
    .join(', ');
}
