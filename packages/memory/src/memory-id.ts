import { MemoryError } from './errors.js';

const PREFIX = 'mem_';
const PATTERN = /^mem_([1-9][0-9]{0,15})$/;

/**
 * Memory ids are `mem_` + the SQLite rowid in decimal (`mem_42`): short enough for a model to quote
 * back, stable for the life of the file, and never reused (the table uses AUTOINCREMENT).
 */
export function formatMemoryId(rowid: number | bigint): string {
  return `${PREFIX}${rowid}`;
}

/** The rowid inside a memory id; a malformed id is a `MEMORY_INVALID_INPUT` error. */
export function parseMemoryId(id: unknown, label = 'id'): number {
  const match = typeof id === 'string' ? PATTERN.exec(id) : null;
  const rowid = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(rowid)) {
    const shown = typeof id === 'string' ? JSON.stringify(id) : typeof id;
    throw new MemoryError('MEMORY_INVALID_INPUT', `${label} must look like "mem_42", got ${shown}`);
  }
  return rowid;
}
