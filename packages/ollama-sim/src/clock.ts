/** Wall-clock time with nanosecond digits, and the RFC3339Nano format Go uses for `time.Time`. */
const epochAnchorNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Nanoseconds since the Unix epoch (wall clock anchored once, then monotonic). */
export function nowNs(): bigint {
  return epochAnchorNs + process.hrtime.bigint();
}

/** Monotonic nanoseconds, for durations. */
export function monotonicNs(): bigint {
  return process.hrtime.bigint();
}

/** Go's `time.RFC3339Nano` in UTC: fractional seconds without trailing zeros, `Z` suffix. */
export function rfc3339Nano(epochNs: bigint): string {
  const milliseconds = epochNs / 1_000_000n;
  const iso = new Date(Number(milliseconds)).toISOString();
  let fraction = (epochNs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  if (fraction !== '') fraction = `.${fraction}`;
  return `${iso.slice(0, 19)}${fraction}Z`;
}

/** The current time as RFC3339Nano UTC. */
export function createdAt(): string {
  return rfc3339Nano(nowNs());
}
