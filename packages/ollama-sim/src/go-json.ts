/**
 * JSON as Go's `encoding/json` writes it, which is what Ollama sends: `<`, `>`, `&`, U+2028 and
 * U+2029 escaped as `\u003c`-style sequences, float32 numbers in their shortest float32 form, and
 * exponents with at least two digits (`1e-07`).
 *
 * The simulator keeps its own copy on purpose: it depends on no Lunar package, so every Lunar
 * package (the client included) can test against it without a dependency circle.
 */
const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
const GO_ESCAPE_PATTERN = /[<>&\u2028\u2029]/g;

function escapeForGo(json: string): string {
  return json.replace(GO_ESCAPE_PATTERN, (character) => GO_ESCAPES[character] ?? character);
}

/** `JSON.stringify` with Go's HTML-safe escaping. */
export function goJson(value: unknown): string {
  return escapeForGo(JSON.stringify(value));
}

/** A JSON string literal with Go's HTML-safe escaping. */
export function goString(text: string): string {
  return escapeForGo(JSON.stringify(text));
}

/** Go writes exponents with at least two digits and no `+` stripping: `1e-07`, `1e+21`. */
function goExponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** A float64 as Go's `json.Marshal` writes it. */
export function formatGoFloat64(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot encode ${value} as JSON`);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return goExponent(value.toExponential());
  return String(value);
}

/** A float32 (the value rounded to float32) in the shortest form that reads back the same float32. */
export function formatGoFloat32(value: number): string {
  const single = Math.fround(value);
  if (!Number.isFinite(single)) throw new RangeError(`cannot encode ${value} as JSON`);
  if (single === 0) return '0';
  const abs = Math.abs(single);
  const exponential = abs < 1e-6 || abs >= 1e21;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) {
      return exponential ? goExponent(candidate.toExponential()) : String(candidate);
    }
  }
  return String(single);
}

function numberArray(values: ArrayLike<number>, format: (value: number) => string): string {
  let out = '[';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) out += ',';
    out += format(values[index] ?? 0);
  }
  return `${out}]`;
}

/** A JSON array of float32 values, as Go writes `[]float32`. */
export function goFloat32Array(values: ArrayLike<number>): string {
  return numberArray(values, formatGoFloat32);
}

/** A JSON array of float64 values, as Go writes `[]float64`. */
export function goFloat64Array(values: ArrayLike<number>): string {
  return numberArray(values, formatGoFloat64);
}
