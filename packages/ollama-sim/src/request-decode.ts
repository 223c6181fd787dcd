/**
 * Decodes a request body the way Ollama's Go handlers do (`c.ShouldBindJSON`): the first JSON
 * value, Go's syntax and type error texts, `keep_alive` parsed while decoding. Every failure is
 * an `OLLAMA_SIM_HTTP` error with status 400 and Ollama's wording.
 */
import { httpError } from './errors.js';
import { JsonEmptyError, parseFirstJsonValue } from './json-syntax.js';
import { DurationSyntaxError, parseKeepAlive } from './keep-alive.js';

type FieldType =
  | 'string'
  | 'bool'
  | 'int'
  | 'map'
  | 'any'
  | 'keep-alive'
  | 'think'
  | { array: FieldType; goType: string }
  | { struct: Record<string, FieldType>; goType: string };

const map = 'map';
const toolCall: FieldType = {
  goType: 'api.ToolCall',
  struct: {
    id: 'string',
    function: {
      goType: 'api.ToolCallFunction',
      struct: { index: 'int', name: 'string', arguments: 'map' },
    },
  },
};
const message: FieldType = {
  goType: 'api.Message',
  struct: {
    role: 'string',
    content: 'string',
    thinking: 'string',
    images: { array: 'string', goType: '[]api.ImageData' },
    tool_calls: { array: toolCall, goType: '[]api.ToolCall' },
    tool_name: 'string',
    tool_call_id: 'string',
  },
};
const tool: FieldType = {
  goType: 'api.Tool',
  struct: {
    type: 'string',
    function: {
      goType: 'api.ToolFunction',
      struct: { name: 'string', description: 'string', parameters: 'any' },
    },
  },
};
const common = { model: 'string', keep_alive: 'keep-alive', options: map } as const;

const SCHEMAS = {
  GenerateRequest: {
    ...common,
    prompt: 'string',
    suffix: 'string',
    system: 'string',
    template: 'string',
    context: { array: 'int', goType: '[]int' },
    stream: 'bool',
    raw: 'bool',
    format: 'any',
    images: { array: 'string', goType: '[]api.ImageData' },
    think: 'think',
    truncate: 'bool',
    shift: 'bool',
    logprobs: 'bool',
    top_logprobs: 'int',
    _debug_render_only: 'bool',
  },
  ChatRequest: {
    ...common,
    messages: { array: message, goType: '[]api.Message' },
    stream: 'bool',
    format: 'any',
    tools: { array: tool, goType: 'api.Tools' },
    think: 'think',
    truncate: 'bool',
    shift: 'bool',
    logprobs: 'bool',
    top_logprobs: 'int',
    _debug_render_only: 'bool',
  },
  EmbedRequest: { ...common, input: 'any', truncate: 'bool', dimensions: 'int' },
  EmbeddingRequest: { ...common, prompt: 'string' },
  ShowRequest: {
    model: 'string',
    name: 'string',
    system: 'string',
    template: 'string',
    verbose: 'bool',
    options: map,
  },
} satisfies Record<string, Record<string, FieldType>>;

export type RequestKind = keyof typeof SCHEMAS;

const GO_TYPES: Record<string, string> = {
  string: 'string',
  bool: 'bool',
  int: 'int',
  map: 'map[string]interface {}',
  think: 'api.ThinkValue',
};

function jsonKind(value: unknown): string {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

function goTypeOf(type: FieldType): string {
  return typeof type === 'string' ? (GO_TYPES[type] ?? 'interface {}') : type.goType;
}

function checkField(value: unknown, type: FieldType, structName: string, path: string): void {
  if (value === null || type === 'any') return;
  const mismatch = (kind = jsonKind(value)) =>
    httpError(
      400,
      `json: cannot unmarshal ${kind} into Go struct field ${structName}.${path} of type ${goTypeOf(type)}`,
    );
  if (type === 'keep-alive') {
    try {
      parseKeepAlive(value);
    } catch (error) {
      if (error instanceof DurationSyntaxError) throw httpError(400, error.message, { cause: error });
      throw error;
    }
    return;
  }
  if (type === 'think') {
    if (typeof value === 'boolean') return;
    if (typeof value === 'string' && ['high', 'medium', 'low', 'max'].includes(value)) return;
    throw httpError(
      400,
      `invalid think value: ${JSON.stringify(value)} (must be "high", "medium", "low", true, or false)`,
    );
  }
  if (type === 'string' || type === 'bool') {
    if (jsonKind(value) !== type) throw mismatch();
    return;
  }
  if (type === 'int') {
    if (typeof value !== 'number') throw mismatch();
    if (!Number.isInteger(value)) throw mismatch(`number ${value}`);
    return;
  }
  if (type === 'map') {
    if (jsonKind(value) !== 'object') throw mismatch();
    return;
  }
  if ('array' in type) {
    if (!Array.isArray(value)) throw mismatch();
    for (const element of value) checkField(element, type.array, structName, path);
    return;
  }
  if (jsonKind(value) !== 'object') throw mismatch();
  checkStruct(value as Record<string, unknown>, type.struct, structName, `${path}.`);
}

function checkStruct(
  value: Record<string, unknown>,
  fields: Record<string, FieldType>,
  structName: string,
  prefix: string,
): void {
  for (const [key, fieldValue] of Object.entries(value)) {
    // Unknown keys are ignored, as Go's decoder does; `constructor` or `__proto__` are unknown too.
    if (!Object.hasOwn(fields, key)) continue;
    const type = fields[key];
    if (type !== undefined) checkField(fieldValue, type, structName, `${prefix}${key}`);
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Go replaces invalid UTF-16 escapes with U+FFFD while decoding; so do we. */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string')
    return LONE_SURROGATE.test(value) ? value.replace(LONE_SURROGATE, '\ufffd') : value;
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a `__proto__` key stays a key.
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, wellFormed(child)]));
  }
  return value;
}

/** Decode `body` as the Go request struct `kind`; returns the JSON object (null becomes `{}`). */
export function decodeRequest(body: string, kind: RequestKind): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseFirstJsonValue(body);
  } catch (error) {
    if (error instanceof JsonEmptyError) throw httpError(400, 'missing request body', { cause: error });
    throw httpError(400, (error as Error).message, { cause: error });
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw httpError(400, `json: cannot unmarshal ${jsonKind(value)} into Go value of type api.${kind}`);
  }
  LONE_SURROGATE.lastIndex = 0;
  const object = wellFormed(value) as Record<string, unknown>;
  checkStruct(object, SCHEMAS[kind], kind, '');
  return object;
}
