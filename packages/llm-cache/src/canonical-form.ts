import { Buffer } from 'node:buffer';

/** How deep a request may nest before it is refused (also catches cycles). */
const MAX_DEPTH = 64;

/** Thrown inside the walk; carries the path so the caller can say where the bad value sits. */
export class CanonicalFormError extends Error {
  readonly path: Array<string | number>;

  constructor(message: string, path: Array<string | number>) {
    super(message);
    this.path = path;
  }
}

/**
 * A canonical text for `value`: two values get the same text exactly when their JSON, with the
 * keys of every object sorted, is the same. Arrays keep their order.
 *
 * It is not JSON: strings are written as `"<length>:<text>` instead of being escaped, so no
 * character needs inspecting (the cost of a key is mostly hashing). Length prefixes make the form
 * unambiguous. Everything else follows JSON.stringify's rules, because that is what reaches the
 * server: undefined, functions and symbols are dropped from objects and are `null` in arrays,
 * non-finite numbers are `null`, `toJSON` is honoured, boxed primitives are unboxed. Byte arrays
 * become their base64 text, the form Ollama clients send. Top-level keys in `omit` are left out.
 *
 * When hashed as UTF-8, a lone surrogate becomes U+FFFD, as Ollama's JSON decoder (Go) makes it:
 * such strings are the same request to the server.
 */
export function canonicalForm(value: unknown, omit?: ReadonlySet<string>): string {
  return write(value, 0, omit);
}

function write(value: unknown, depth: number, omit: ReadonlySet<string> | undefined): string {
  switch (typeof value) {
    case 'string':
      return `"${value.length}:${value}`;
    case 'number':
      return Number.isFinite(value) ? `n${value};` : 'z';
    case 'boolean':
      return value ? 't' : 'f';
    case 'bigint':
      throw new CanonicalFormError('a BigInt cannot be serialised as JSON', []);
    case 'object':
      if (value === null) return 'z';
      if (depth >= MAX_DEPTH) {
        throw new CanonicalFormError(`nested deeper than ${MAX_DEPTH} levels (a cycle?)`, []);
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
    try {
      out += write(array[index], depth + 1, undefined) || 'z';
    } catch (error) {
      throw prefixPath(error, index);
    }
  }
  return `${out}]`;
}

function writeObject(object: object, depth: number, omit: ReadonlySet<string> | undefined): string {
  const unusual = unusualObject(object);
  if (unusual !== undefined) return unusual === object ? '{}' : write(unusual, depth + 1, undefined);
  const record = object as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) {
    if (omit?.has(key)) continue;
    let text: string;
    try {
      text = write(record[key], depth + 1, undefined);
    } catch (error) {
      throw prefixPath(error, key);
    }
    if (text !== '') out += `${key.length}:${key}${text}`;
  }
  return `${out}}`;
}

/**
 * What JSON.stringify would write instead of the object's own keys: `toJSON()`'s result, a boxed
 * primitive's value, base64 text for bytes. Undefined for a plain object.
 */
function unusualObject(object: object): unknown {
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return (object as { toJSON(): unknown }).toJSON();
  }
  if (ArrayBuffer.isView(object)) {
    return Buffer.from(object.buffer, object.byteOffset, object.byteLength).toString('base64');
  }
  if (object instanceof String || object instanceof Number || object instanceof Boolean) {
    return object.valueOf();
  }
  return undefined;
}

function prefixPath(error: unknown, step: string | number): unknown {
  if (error instanceof CanonicalFormError) error.path.unshift(step);
  return error;
}
