import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { MemoryStore } from '@lunar/memory';
import { defineTool } from '@lunar/tools-parallel';
import { z } from 'zod';
import { checkObject, checkOptionKeys } from '../agent/check-options.js';
import { evaluateArithmetic } from './arithmetic.js';

/** `current_time`: the current date and time in an IANA time zone. */
export function currentTimeTool(now: () => Date = () => new Date()) {
  return defineTool({
    name: 'current_time',
    description:
      'Get the current date and time in a time zone (an IANA name such as "Europe/Paris" or "UTC").',
    parameters: z.object({
      timezone: z.string().min(1).max(64).default('UTC').describe('IANA time zone name, e.g. "Asia/Tokyo"'),
    }),
    readOnly: true,
    execute({ timezone }) {
      let format: Intl.DateTimeFormat;
      try {
        format = new Intl.DateTimeFormat('en-GB', {
          timeZone: timezone,
          dateStyle: 'full',
          timeStyle: 'long',
        });
      } catch {
        throw new Error(`Unknown time zone "${timezone}". Use an IANA name such as "Europe/Paris" or "UTC".`);
      }
      const date = now();
      return { timezone, iso: date.toISOString(), local: format.format(date) };
    },
  });
}

/** `calculate`: exact arithmetic, so the model does not have to guess. */
export function calculatorTool() {
  return defineTool({
    name: 'calculate',
    description:
      'Calculate an arithmetic expression: + - * / % ^, parentheses, sqrt, abs, round, floor, ceil, ln, log10, sin, cos, tan, min, max, pi, e.',
    parameters: z.object({ expression: z.string().min(1).max(1_000).describe('e.g. "12 * (3 + 4)"') }),
    readOnly: true,
    execute: ({ expression }) => ({ expression, result: evaluateArithmetic(expression) }),
  });
}

export interface ReadFileToolOptions {
  /** The only directory whose files may be read (symlinks out of it are refused). */
  allowDir: string;
  /** Bytes read at most; the rest is cut with a note (default 64 KiB). */
  maxBytes?: number;
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

/** `read_file`: reads a text file under one allowed directory, and nothing outside it. */
export function readFileTool(options: ReadFileToolOptions) {
  checkObject('readFileTool: options', options);
  checkOptionKeys<ReadFileToolOptions>('readFileTool: options', options, { allowDir: true, maxBytes: true });
  if (typeof options?.allowDir !== 'string' || options.allowDir === '') {
    throw new TypeError(`readFileTool: allowDir must be a directory path, got ${String(options?.allowDir)}`);
  }
  const maxBytes = options.maxBytes ?? 64 * 1024;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new TypeError(`readFileTool: maxBytes must be a positive integer, got ${String(maxBytes)}`);
  }
  const allowDir = path.resolve(options.allowDir);
  return defineTool({
    name: 'read_file',
    description: `Read a text file under the allowed directory (${allowDir}). Give a path relative to it.`,
    parameters: z.object({
      path: z.string().min(1).max(4_096).describe('path relative to the allowed directory'),
    }),
    readOnly: true,
    async execute({ path: requested }, { signal }) {
      const root = await realpath(allowDir);
      const candidate = path.resolve(root, requested);
      if (!isInside(root, candidate))
        throw new Error(`"${requested}" is outside the allowed directory ${root}.`);
      let real: string;
      try {
        real = await realpath(candidate);
      } catch {
        throw new Error(`"${requested}" does not exist under ${root}.`);
      }
      // The real path decides: a symlink inside the directory that points out of it is refused.
      if (!isInside(root, real))
        throw new Error(`"${requested}" leads outside the allowed directory ${root}.`);
      signal.throwIfAborted();
      // Non-blocking: opening a FIFO or a device must not hang the tool (it is refused just below).
      const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new Error(`"${requested}" is not a file.`);
        const buffer = Buffer.alloc(Math.min(maxBytes, info.size));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        const text = buffer.subarray(0, bytesRead).toString('utf8');
        return info.size > maxBytes
          ? `${text}\n[cut: the file is ${info.size} bytes, shown ${maxBytes}]`
          : text;
      } finally {
        await handle.close();
      }
    },
  });
}

export interface MemoryToolsOptions {
  /** The scope `remember` writes to and `recall` searches (default `'default'`). */
  scope?: string;
}

/** `remember` and `recall`: the model's own use of the memory store. */
export function memoryTools(store: MemoryStore, options: MemoryToolsOptions = {}) {
  checkObject('memoryTools: options', options);
  checkOptionKeys<MemoryToolsOptions>('memoryTools: options', options, { scope: true });
  const scope = options.scope ?? 'default';
  const remember = defineTool({
    name: 'remember',
    description: 'Store a fact in long-term memory so it can be recalled in later conversations.',
    parameters: z.object({ text: z.string().min(1).max(4_000).describe('the fact to remember') }),
    async execute({ text }, { signal }) {
      const memory = await store.add(text, { scope, signal });
      return { id: memory.id, stored: memory.text };
    },
  });
  const recall = defineTool({
    name: 'recall',
    description: 'Search long-term memory for facts related to a query.',
    parameters: z.object({
      query: z.string().min(1).max(1_000).describe('what to look for'),
      k: z.number().int().min(1).max(20).default(5).describe('how many memories'),
    }),
    readOnly: true,
    async execute({ query, k }, { signal }) {
      const results = await store.search(query, { k, scope, signal });
      return results.map((result) => ({ id: result.id, text: result.text }));
    },
  });
  return [remember, recall] as const;
}
