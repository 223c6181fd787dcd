import { MemoryError } from './errors.js';
import { MAX_METADATA_BYTES, MAX_METADATA_DEPTH, MAX_SCOPE_BYTES, MAX_TEXT_BYTES } from './limits.js';
import type { JsonValue, MemoryMetadata } from './types.js';

function invalid(message: string): MemoryError {
  return new MemoryError('MEMORY_INVALID_INPUT', message);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return value !== null && typeof value === 'object' ? 'an object' : String(value);
}

/** A memory or query text: a string with something besides whitespace, at most MAX_TEXT_BYTES. */
export function validateText(value: unknown, label: string): string {
  if (typeof value !== 'string') throw invalid(`${label} must be a string, got ${show(value)}`);
  if (value.trim() === '') throw invalid(`${label} must not be empty or only whitespace`);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_TEXT_BYTES) {
    throw invalid(`${label} is ${bytes} bytes of UTF-8; the limit is ${MAX_TEXT_BYTES}`);
  }
  return value;
}

export function validateScope(value: unknown, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(`${label} must be a non-empty string, got ${show(value)}`);
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_SCOPE_BYTES) {
    throw invalid(`${label} is longer than ${MAX_SCOPE_BYTES} bytes`);
  }
  return value;
}

/** An integer in [min, max], or `fallback` when undefined. */
export function validateInteger(
  value: unknown,
  label: string,
  bounds: { min: number; max: number; fallback: number },
): number {
  if (value === undefined) return bounds.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw invalid(`${label} must be an integer from ${bounds.min} to ${bounds.max}, got ${show(value)}`);
  }
  return value;
}

/** An options object of a method (or `{}`); a key outside `known` is a `TypeError` naming it. */
export function validateOptionsObject<T extends object>(
  value: T | undefined,
  label: string,
  known: readonly (keyof T & string)[],
): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${label} must be an object, got ${show(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!(known as readonly string[]).includes(key)) {
      throw new TypeError(`${label} has an unknown key ${JSON.stringify(key)} (known: ${known.join(', ')})`);
    }
  }
  return value;
}

function checkJson(value: unknown, path: string, depth: number): asserts value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(`${path} must be a finite number, got ${value}`);
    return;
  }
  if (typeof value !== 'object') throw invalid(`${path} is not JSON: got ${show(value)}`);
  if (depth >= MAX_METADATA_DEPTH)
    throw invalid(`${path} is nested deeper than ${MAX_METADATA_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkJson(item, `${path}[${index}]`, depth + 1);
    return;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw invalid(`${path} must be a plain object, array or JSON primitive`);
  }
  for (const [key, item] of Object.entries(value)) checkJson(item, `${path}.${key}`, depth + 1);
}

/** Metadata as JSON text (or null when absent), after checking it is a plain JSON object within bounds. */
export function serializeMetadata(value: unknown, label: string): string | null {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${label} must be a plain object, got ${show(value)}`);
  }
  checkJson(value, label, 0);
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_METADATA_BYTES) {
    throw invalid(`${label} is ${bytes} bytes as JSON; the limit is ${MAX_METADATA_BYTES}`);
  }
  return json === '{}' ? null : json;
}

export function parseMetadata(json: string | null): MemoryMetadata {
  return json === null ? {} : (JSON.parse(json) as MemoryMetadata);
}
