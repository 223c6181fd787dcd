import type { ToolCall } from '@lunar/ollama-stream';
import type { RunToolsOptions } from './runner-options.js';
import type { OpenAIToolCall } from './tool-call.js';
import type { ToolRegistry } from './tool-registry.js';
import type { ToolResult } from './tool-result.js';
import { ToolRunner } from './tool-runner.js';

/**
 * Run a model's tool calls at once, at most `concurrency` together, each under its deadline.
 * Resolves with one result per call, in call order; it never rejects because of a tool.
 */
export function runTools(
  calls: Iterable<ToolCall | OpenAIToolCall>,
  registry: ToolRegistry,
  options?: RunToolsOptions,
): Promise<ToolResult[]> {
  if (
    calls === null ||
    typeof calls !== 'object' ||
    typeof (calls as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(
      `Expected \`calls\` to be an array of tool calls, got \`${String(calls)}\` (${typeof calls})`,
    );
  }
  const runner = new ToolRunner(registry, options);
  for (const call of calls) runner.add(call);
  runner.commit();
  return runner.results();
}
