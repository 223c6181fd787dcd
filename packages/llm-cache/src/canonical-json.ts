import { Buffer } from 'node:buffer';

/** How deep a request may nest before it is refused (also catches cycles). */
const MAX_DEPTH = 64;

/** Thrown inside the walk; carries the path so the caller can say where the bad value sits. */
export class CanonicalJsonError extends Error {
  readonly path: Array<string | number>;

  constructor(message: string, path: Array<string | number>) {
    super(message);
    this.path = path;
  }
}

/**
 * JSON text of `value` with the keys of every object sorted, so two values that serialise to the
 * same JSON up to key order give the same text. Arrays keep their order. Follows JSON.stringify's
 * rules otherwise (undefined and functions dropped from objects, `null` in arrays, non-finite
 * numbers as `null`, `toJSON` honoured) because that is what reaches the server. Byte arrays are
 * written as their base64 text, the form Ollama clients send. Top-level keys in `omit` are left out.
 */
export function canonicalJson(value: unknown, omit?: ReadonlySet<string>): string {
  return write(value, 0, omit);
}

function write(value: unknown, depth: number, omit: ReadonlySet<string> | undefined): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new CanonicalJsonError('a BigInt cannot be serialised as JSON', []);
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) {
        throw new CanonicalJsonError(`nested deeper than ${MAX_DEPTH} levels (a cycle?)`, []);
      }
      return Array.isArray(value) ? writeArray(value, depth) : writeObject(value, depth, omit);
    default:
      // undefined, function, symbol: JSON.stringify writes nothing (objects) or null (arrays).
      return '';
  }
}

function writeArray(array: readonly unknown[], depth: number): string {
  let out = '[';
  for (let index = 0; index < array.length; index++) {
    if (index > 0) out += ',';
    try {
      out += write(array[index], depth + 1, undefined) || 'null';
    } catch (error) {
      throw prefixPath(error, index);
    }
  }
  return `${out}]`;
}

function writeObject(object: object, depth: number, omit: ReadonlySet<string> | undefined): string {
  if (ArrayBuffer.isView(object)) {
    return JSON.stringify(
      Buffer.from(object.buffer, object.byteOffset, object.byteLength).toString('base64'),
    );
  }
  const record = object as Record<string, unknown>;
  if (typeof record.toJSON === 'function') {
    return write((record.toJSON as () => unknown)(), depth + 1, undefined);
  }
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    if (omit?.has(key)) continue;
    let text: string;
    try {
      text = write(record[key], depth + 1, undefined);
    } catch (error) {
      throw prefixPath(error, key);
    }
    if (text === '') continue;
    out += first ? `${JSON.stringify(key)}:${text}` : `,${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

function prefixPath(error: unknown, step: string | number): unknown {
  if (error instanceof CanonicalJsonError) error.path.unshift(step);
  return error;
}
