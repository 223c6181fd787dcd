export {
  type DefinedTool,
  defineTool,
  type ToolContext,
  type ToolDefinition,
  type ToolJsonSchema,
  type ToolParameters,
} from './define-tool.js';
export { runTools } from './run-tools.js';
export type { RunToolsOptions, ToolStart } from './runner-options.js';
export type { OpenAIToolCall } from './tool-call.js';
export { type AnyTool, ToolRegistry } from './tool-registry.js';
export {
  type ToolFailure,
  type ToolMessage,
  type ToolResult,
  type ToolSuccess,
  toToolMessage,
} from './tool-result.js';
export { ToolRunner } from './tool-runner.js';
export {
  isToolsError,
  type ToolCallError,
  type ToolCallErrorCode,
  type ToolFailureKind,
  ToolsError,
  type ToolsErrorCode,
} from './tools-error.js';
