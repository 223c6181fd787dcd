import type { MemoryStore } from '@lunar/memory';
import type { AnyTool } from '@lunar/tools-parallel';
import { checkObject, checkOptionKeys } from '../agent/check-options.js';
import { calculatorTool, currentTimeTool, memoryTools, readFileTool } from './builtin-tools.js';

export interface DefaultToolsOptions {
  /** Adds `remember` and `recall` on this store, in its scope (default `'default'`). */
  memory?: { store: MemoryStore; scope?: string };
  /** Adds `read_file` for the files under this directory, and nothing outside it. */
  allowDir?: string;
  /** Clock of `current_time` (default `() => new Date()`). */
  now?: () => Date;
}

/**
 * Lunar's default tools: `current_time` and `calculate`, then `remember` and `recall` with
 * `memory`, then `read_file` with `allowDir`.
 */
export function defaultTools(options: DefaultToolsOptions = {}): AnyTool[] {
  checkObject('defaultTools: options', options);
  checkOptionKeys<DefaultToolsOptions>('defaultTools: options', options, {
    memory: true,
    allowDir: true,
    now: true,
  });
  const tools: AnyTool[] = [currentTimeTool(options.now), calculatorTool()];
  if (options.memory !== undefined) {
    const { store, scope } = options.memory;
    tools.push(...memoryTools(store, scope === undefined ? {} : { scope }));
  }
  if (options.allowDir !== undefined) tools.push(readFileTool({ allowDir: options.allowDir }));
  return tools;
}
