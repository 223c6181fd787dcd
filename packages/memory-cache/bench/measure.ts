/** Timing helpers shared by the benchmarks. */

export function percentile(sortedNs: readonly number[], fraction: number): number {
  return sortedNs[Math.min(sortedNs.length - 1, Math.floor(sortedNs.length * fraction))] as number;
}

export interface Summary {
  samples: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
}

/** Times `operation` once per call to `next`, awaiting it; returns microsecond figures. */
export async function timeEach(
  samples: number,
  operation: (index: number) => Promise<unknown>,
): Promise<Summary> {
  const times: number[] = new Array(samples);
  for (let index = 0; index < samples; index++) {
    const start = process.hrtime.bigint();
    await operation(index);
    times[index] = Number(process.hrtime.bigint() - start);
  }
  times.sort((left, right) => left - right);
  const total = times.reduce((sum, time) => sum + time, 0);
  return {
    samples,
    p50Us: percentile(times, 0.5) / 1_000,
    p99Us: percentile(times, 0.99) / 1_000,
    meanUs: total / samples / 1_000,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export function formatUs(us: number): string {
  if (us >= 1_000) return `${(us / 1_000).toFixed(2)} ms`;
  return `${us.toFixed(2)} us`;
}

export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
}
