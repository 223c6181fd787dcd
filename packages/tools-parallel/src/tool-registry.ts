import type * as Ollama from '@lunar/ollama-stream';
import type { DefinedTool } from './define-tool.js';
import { show } from './options.js';

/** Any tool, whatever its argument and result types (`execute` is a method, so its arguments widen). */
export type AnyTool = DefinedTool<unknown, unknown>;

function isTool(value: unknown): value is AnyTool {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AnyTool).name === 'string' &&
    typeof (value as AnyTool).execute === 'function' &&
    typeof (value as AnyTool).jsonSchema === 'object'
  );
}

/** The tools an agent offers, by name. Names are unique; order is the order of registration. */
export class ToolRegistry {
  readonly #tools = new Map<string, AnyTool>();
  #ollamaTools: readonly Ollama.Tool[] | undefined;

  constructor(tools: Iterable<AnyTool> = []) {
    for (const tool of tools) this.register(tool);
  }

  /** Add a tool made by `defineTool`. Throws a TypeError when the name is already taken. */
  register(tool: AnyTool): this {
    if (!isTool(tool)) throw new TypeError(`Expected a tool made by defineTool(), got ${show(tool)}`);
    if (this.#tools.has(tool.name)) {
      throw new TypeError(`A tool named "${tool.name}" is already registered; tool names must be unique`);
    }
    this.#tools.set(tool.name, tool);
    this.#ollamaTools = undefined;
    return this;
  }

  get(name: string): AnyTool | undefined {
    return this.#tools.get(name);
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  get size(): number {
    return this.#tools.size;
  }

  /** The tools in registration order. */
  list(): AnyTool[] {
    return [...this.#tools.values()];
  }

  /** The tool names in registration order. */
  names(): string[] {
    return [...this.#tools.keys()];
  }

  /**
   * Ollama's `tools` array (`Tool` from `@lunar/ollama-stream`). The same frozen array comes back
   * until a tool is added, so a prompt built from it stays byte-identical between turns.
   */
  toOllamaTools(): readonly Ollama.Tool[] {
    this.#ollamaTools ??= Object.freeze(
      this.list().map((tool) =>
        Object.freeze({
          type: 'function' as const,
          function: Object.freeze({
            name: tool.name,
            description: tool.description,
            parameters: tool.jsonSchema,
          }),
        }),
      ),
    );
    return this.#ollamaTools;
  }
}
