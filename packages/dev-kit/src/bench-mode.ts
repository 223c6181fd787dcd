import { arch, cpus, loadavg, platform } from 'node:os';

/**
 * True when `LUNAR_BENCH_SHORT=1`: every bench runs a few iterations to prove it still works, and
 * judges no figure (CI runs the benches this way, so a bench that breaks fails CI).
 */
export const benchShort: boolean = process.env.LUNAR_BENCH_SHORT === '1';

/** `full` in a real run, `short` under `LUNAR_BENCH_SHORT=1`. */
export function sized<T>(full: T, short: T): T {
  return benchShort ? short : full;
}

/**
 * A goal's verdict for a printed line: `MET` or `MISSED`, or `not judged` in a short run, whose
 * figures come from too few iterations to mean anything.
 */
export function verdict(met: boolean): string {
  if (benchShort) return 'not judged (short run)';
  return met ? 'MET' : 'MISSED';
}

/** Prints the first lines of a bench: what runs, on which Node and machine, and whether it is short. */
export function printBenchHeader(title: string): void {
  const [load] = loadavg();
  console.log(
    `${title}: Node ${process.version}, ${platform()} ${arch()}, ${cpus().length} CPUs, load ${(load ?? 0).toFixed(1)}` +
      (typeof (globalThis as { gc?: unknown }).gc === 'function' ? ', --expose-gc' : ''),
  );
  if (benchShort) {
    console.log('Short run (LUNAR_BENCH_SHORT=1): a few iterations each; no figure below means anything.');
  }
}
