import { invalidOption } from './validate-option.js';

/**
 * A canonical text form of search params: object keys sorted at every level, array order kept, `undefined`
 * object fields dropped (as if absent), `-0` written as `0`. Two params objects get the same text exactly when
 * they hold the same data, so `{ k: 5, filters: { a: 1, b: 2 } }` and `{ filters: { b: 2, a: 1 }, k: 5 }` share,
 * and `k: 5` and `k: 10` never do. Accepts JSON-like data plus bigint and Date; anything else (functions,
 * symbols, Map, class instances, NaN, cycles) throws a TypeError naming where it sits.
 */
export function canonicalParams(params: unknown): string {
  if (params === undefined) return '';
  return write(params, 'params', new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `${value}n`;
    case 'number':
      if (!Number.isFinite(value)) throw invalidOption(path, 'a finite number', value);
      return value === 0 ? '0' : String(value);
    case 'undefined':
      return 'undefined';
    case 'object':
      if (value === null) return 'null';
      return writeObject(value, path, ancestors);
    default:
      throw invalidOption(path, 'JSON-like data', value);
  }
}

function writeObject(value: object, path: string, ancestors: Set<object>): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalidOption(path, 'a valid Date', value);
    return `Date(${value.toISOString()})`;
  }
  if (ancestors.has(value)) throw invalidOption(path, 'data without cycles', value);
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item, index) => write(item, `${path}[${index}]`, ancestors)).join(',')}]`;
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw invalidOption(
        path,
        'a plain object, array, string, number, boolean, bigint, Date or null',
        value,
      );
    }
    const record = value as Record<string, unknown>;
    const fields: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const field = record[key];
      if (field !== undefined)
        fields.push(`${JSON.stringify(key)}:${write(field, `${path}.${key}`, ancestors)}`);
    }
    text = `{${fields.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}
