import type * as Ollama from '@lunar/ollama-stream';
import { z } from 'zod';
import { assertKnownKeys, assertTimeout, show } from './options.js';

/** What a tool's `execute` receives besides its arguments. */
export interface ToolContext {
  /** Aborts at the tool's deadline, on `runner.cancel()` or when the run's own signal aborts. */
  readonly signal: AbortSignal;
  /** The call's id: the model's own, or one generated in Ollama's `call_xxxxxxxx` form. */
  readonly callId: string;
}

/** A zod schema whose input is a JSON object: a tool's parameters. */
export type ToolParameters = z.ZodType<unknown, Record<string, unknown>>;

type OllamaToolParameters = NonNullable<Ollama.Tool['function']['parameters']>;

/**
 * The JSON Schema of a tool's parameters, as Ollama's `tools` array wants it (the `parameters` of
 * `Tool` from `@lunar/ollama-stream`, always an object schema). Frozen.
 */
export interface ToolJsonSchema extends OllamaToolParameters {
  readonly type: 'object';
}

export interface ToolDefinition<TSchema extends ToolParameters, TResult> {
  /** 1 to 64 characters from `a-z A-Z 0-9 _ -`. */
  name: string;
  /** What the tool does and when to use it: the model reads this. */
  description: string;
  /** A zod schema of the arguments; it must describe a JSON object. */
  parameters: TSchema;
  execute(args: z.output<TSchema>, context: ToolContext): TResult | PromiseLike<TResult>;
  /** This tool's deadline; it wins over the run's `timeoutMs`. */
  timeoutMs?: number;
  /** No side effects, so it may start before the model's answer is complete. Default false. */
  readOnly?: boolean;
}

/**
 * A tool checked and ready for a `ToolRegistry`: what `defineTool` returns (Ollama's description of
 * a tool, `Tool` of `@lunar/ollama-stream`, is what `registry.toOllamaTools()` makes of it).
 */
export interface DefinedTool<TArgs = unknown, TResult = unknown> {
  readonly name: string;
  readonly description: string;
  readonly parameters: z.ZodType<TArgs, Record<string, unknown>>;
  /** The parameters as JSON Schema (without `$schema`), computed once. */
  readonly jsonSchema: ToolJsonSchema;
  readonly timeoutMs: number | undefined;
  readonly readOnly: boolean;
  execute(args: TArgs, context: ToolContext): TResult | PromiseLike<TResult>;
}

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

function isZodSchema(value: unknown): value is z.ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/**
 * A frozen copy for Ollama: no `$schema` (Ollama ignores it; it only costs prompt tokens) and no
 * safe-integer bounds that zod adds to every `.int()`, which tell the model nothing.
 */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(tidy));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$schema') continue;
    if (key === 'minimum' && child === Number.MIN_SAFE_INTEGER) continue;
    if (key === 'maximum' && child === Number.MAX_SAFE_INTEGER) continue;
    copy[key] = tidy(child);
  }
  return Object.freeze(copy);
}

function toParametersSchema(name: string, parameters: z.ZodType): ToolJsonSchema {
  let schema: Record<string, unknown>;
  try {
    // The model writes the arguments, so the schema describes the input: fields with defaults are optional.
    schema = z.toJSONSchema(parameters, { io: 'input' }) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`Tool "${name}": \`parameters\` cannot be expressed as JSON Schema: ${reason}`, {
      cause: error,
    });
  }
  if (schema.type !== 'object') {
    throw new TypeError(
      `Tool "${name}": \`parameters\` must describe a JSON object (use z.object), got JSON Schema type ${show(schema.type)}`,
    );
  }
  return tidy(schema) as ToolJsonSchema;
}

/**
 * Define a tool: its arguments are typed from the zod schema and checked before `execute` runs.
 * Throws a TypeError naming the field when the definition is wrong.
 */
export function defineTool<TSchema extends ToolParameters, TResult>(
  definition: ToolDefinition<TSchema, TResult>,
): DefinedTool<z.output<TSchema>, Awaited<TResult>> {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(`Expected a tool definition object, got ${show(definition)}`);
  }
  const { name, description, parameters, execute, timeoutMs, readOnly } = definition;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new TypeError(`Expected \`name\` to be 1 to 64 characters from a-z A-Z 0-9 _ -, got ${show(name)}`);
  }
  // `jsonSchema` too: a variant made by spreading a tool (`{ ...tool, name }`) is a definition, its
  // JSON Schema made again from `parameters`.
  assertKnownKeys(`tool "${name}"`, definition, [
    'name',
    'description',
    'parameters',
    'execute',
    'timeoutMs',
    'readOnly',
    'jsonSchema',
  ] satisfies (keyof DefinedTool)[]);
  if (typeof description !== 'string' || description.trim() === '') {
    throw new TypeError(
      `Tool "${name}": expected \`description\` to be a non-empty string, got ${show(description)}`,
    );
  }
  if (!isZodSchema(parameters)) {
    throw new TypeError(
      `Tool "${name}": expected \`parameters\` to be a zod schema, got ${show(parameters)}`,
    );
  }
  if (typeof execute !== 'function') {
    throw new TypeError(`Tool "${name}": expected \`execute\` to be a function, got ${show(execute)}`);
  }
  if (timeoutMs !== undefined) assertTimeout(`\`timeoutMs\` of tool "${name}"`, timeoutMs);
  if (readOnly !== undefined && typeof readOnly !== 'boolean') {
    throw new TypeError(`Tool "${name}": expected \`readOnly\` to be a boolean, got ${show(readOnly)}`);
  }
  return Object.freeze({
    name,
    description,
    // The same object: TypeScript cannot see that a generic zod schema (`TSchema`) is a
    // `ZodType` of its own `z.output<TSchema>` (zod computes the output type from the schema).
    parameters: parameters as z.ZodType<z.output<TSchema>, Record<string, unknown>>,
    jsonSchema: toParametersSchema(name, parameters),
    timeoutMs,
    readOnly: readOnly ?? false,
    execute: execute as DefinedTool<z.output<TSchema>, Awaited<TResult>>['execute'],
  });
}
