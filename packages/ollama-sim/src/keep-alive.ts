/** `keep_alive` values as Ollama reads them, and Go's `time.ParseDuration`. */

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Thrown with the same text Go's `time.ParseDuration` returns. */
export class DurationSyntaxError extends Error {
  override name = 'DurationSyntaxError';
}

const quote = (text: string): string => `"${text.replace(/["\\]/g, '\\$&')}"`;

/** Go's `time.ParseDuration`, in milliseconds: `"1h30m"`, `"500ms"`, `"-1m"`, `"0"`. */
export function parseGoDuration(text: string): number {
  const invalid = () => new DurationSyntaxError(`time: invalid duration ${quote(text)}`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let totalNs = 0;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    rest = rest.slice(number?.[0].length ?? 0);
    const unitLength = rest.search(/[\d.]/);
    const unit = unitLength === -1 ? rest : rest.slice(0, unitLength);
    if (unit === '') throw new DurationSyntaxError(`time: missing unit in duration ${quote(text)}`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) {
      throw new DurationSyntaxError(`time: unknown unit ${quote(unit)} in duration ${quote(text)}`);
    }
    rest = rest.slice(unit.length);
    totalNs += Number(`${whole || '0'}.${fraction || '0'}`) * scale;
    if (totalNs > 9.223372036854775e18) throw invalid();
  }
  const ms = totalNs / 1e6;
  return negative ? -ms : ms;
}

/** What `keep_alive` asks for: milliseconds to stay loaded after the last request, or forever. */
export type KeepAlive = number;

/**
 * Ollama's `api.Duration` decoding of a request's `keep_alive`: a number is whole seconds
 * (truncated), any negative value means forever (`Infinity`), a string is a Go duration.
 * Throws a `DurationSyntaxError` with Go's text for anything else.
 */
export function parseKeepAlive(value: unknown): KeepAlive {
  if (typeof value === 'number') {
    if (value < 0) return Number.POSITIVE_INFINITY;
    return Math.trunc(value) * 1000;
  }
  if (typeof value === 'string') {
    const ms = parseGoDuration(value);
    return ms < 0 ? Number.POSITIVE_INFINITY : ms;
  }
  throw new DurationSyntaxError(`Unsupported type: '${goTypeName(value)}'`);
}

function goTypeName(value: unknown): string {
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  if (value === null) return '%!s(<nil>)';
  return 'map[string]interface {}';
}

/**
 * The server-wide default, like `OLLAMA_KEEP_ALIVE`: a Go duration, or whole seconds as a number
 * or a digit string; negative means forever.
 */
export function parseDefaultKeepAlive(value: string | number): KeepAlive {
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return parseKeepAlive(Number(value));
  return parseKeepAlive(value);
}
