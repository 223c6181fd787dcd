/** p50 and p99 of a list of durations in microseconds. */
export interface Sample {
  p50: number;
  p99: number;
}

export function summarise(durationsUs: number[]): Sample {
  const sorted = [...durationsUs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * Times each contestant one call at a time, interleaved in rounds so that all see the same machine
 * state (GC, CPU frequency, other load), after a warm-up.
 */
export async function race(
  contestants: Record<string, () => Promise<unknown>>,
  options: { warmup: number; rounds: number; perRound: number },
): Promise<Record<string, Sample>> {
  const names = Object.keys(contestants);
  const durations: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) for (let index = 0; index < options.warmup; index++) await contestants[name]!();
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names) {
      const run = contestants[name]!;
      for (let index = 0; index < options.perRound; index++) {
        const started = performance.now();
        await run();
        durations[name]!.push((performance.now() - started) * 1000);
      }
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarise(durations[name]!)]));
}

export function formatUs(value: number): string {
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(2)} s`;
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} ms`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} ms`;
  return `${value.toFixed(value < 10 ? 2 : 1)} us`;
}

/** Prints a plain table with aligned columns. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}
