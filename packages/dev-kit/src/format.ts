/** A duration given in ms, in the unit that reads best: `2.40 s`, `53.7 ms`, `1.25 ms`, `3.24 us`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const size = Math.abs(ms);
  if (size >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (size >= 10) return `${ms.toFixed(1)} ms`;
  if (size >= 1) return `${ms.toFixed(2)} ms`;
  const us = ms * 1000;
  return `${us.toFixed(Math.abs(us) < 10 ? 2 : 1)} us`;
}

/** Bytes in MiB (or KiB under one MiB). */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * How much faster `candidateMs` is than `baselineMs`. A ratio only when both are above `noiseMs`
 * (default 1 ms: what a real network and a real Ollama add and take away on their own); otherwise
 * the absolute difference, because a ratio whose denominator is inside the noise (3 us against
 * 50 ms: "15,000x") tells a user nothing they will see.
 */
export function formatSpeedup(
  baselineMs: number,
  candidateMs: number,
  options: { noiseMs?: number } = {},
): string {
  const noiseMs = options.noiseMs ?? 1;
  if (!(baselineMs > 0 && candidateMs > 0 && Number.isFinite(baselineMs) && Number.isFinite(candidateMs))) {
    return '-';
  }
  if (Math.min(baselineMs, candidateMs) >= noiseMs) {
    const ratio = baselineMs / candidateMs;
    return ratio >= 1 ? `${formatRatio(ratio)} faster` : `${formatRatio(1 / ratio)} slower`;
  }
  const difference = baselineMs - candidateMs;
  return `${formatDuration(Math.abs(difference))} ${difference >= 0 ? 'less' : 'more'}`;
}

/** `2.35x`, `12.4x`, `1,250x`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '-';
  if (ratio >= 100) return `${Math.round(ratio).toLocaleString('en-US')}x`;
  return `${ratio.toFixed(ratio >= 10 ? 1 : 2)}x`;
}

/** A Markdown table with aligned columns: the first column to the left, the others to the right. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, 3, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const pad = (cell: string, column: number) =>
    column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0);
  const line = (cells: readonly string[]) =>
    `| ${header.map((_, column) => pad(cells[column] ?? '', column)).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Prints `title`, a blank line and the {@link table}. */
export function printTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  console.log(`\n${title}\n\n${table(header, rows)}`);
}
