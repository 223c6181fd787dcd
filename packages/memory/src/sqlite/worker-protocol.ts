import { describeError, MemoryError, type MemoryErrorCode } from '../errors.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** The calls a memory worker serves: the methods of `SqliteDatabase`, and `close`. */
export type WorkerMethod = Exclude<keyof SqliteDatabase, 'close'> | 'close';

export interface WorkerRequest {
  id: number;
  method: WorkerMethod;
  args: unknown[];
}

/** A `MemoryError` as it crosses threads (a class does not survive structured clone). */
export interface WireError {
  code: MemoryErrorCode;
  message: string;
}

/** `id` 0 is the worker's answer to opening the file. */
export type WorkerReply = { id: number; result: unknown } | { id: number; error: WireError };

export function toWireError(error: unknown): WireError {
  if (error instanceof MemoryError) return { code: error.code, message: error.message };
  return { code: 'MEMORY_STORAGE_FAILED', message: `the memory store failed: ${describeError(error)}` };
}

export function fromWireError(error: WireError): MemoryError {
  return new MemoryError(error.code, error.message);
}
