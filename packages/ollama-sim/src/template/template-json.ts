/**
 * The JSON Ollama's templates print (template/template.go): tool definitions and tool-call
 * arguments go through Go's `json.Marshal`, so they come out compact, HTML-escaped, map keys
 * sorted, struct fields in struct order, and schema keywords Ollama's structs do not know
 * (`default`, `minLength`, `format`, `pattern`, ...) left out.
 *
 * And the JSON a model writes itself: `{"city": "Paris"}`, keys in the order it chose, with a
 * space after `:` and `,` as the models' own chat templates show.
 */
import { formatGoFloat64, goString } from '../go-json.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Any JSON value as Go marshals an `any` decoded from JSON: map keys sorted. */
export function goSortedJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? formatGoFloat64(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goSortedJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${goString(key)}:${goSortedJson(value[key])}`).join(',')}}`;
  }
  return 'null';
}

/** Struct fields in order; `omitempty` ones left out when empty (Go's rules for these types). */
function struct(fields: Array<[string, string | undefined]>): string {
  return `{${fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([key, json]) => `${goString(key)}:${json}`)
    .join(',')}}`;
}

/** `omitempty` on a slice or a string: left out when empty. */
const omitEmpty = (value: unknown, json: (value: unknown) => string): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  return json(value);
};

/** `omitempty` on an `any`: left out only when nil. */
const omitNil = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : goSortedJson(value);

const stringArray = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;

/** `api.PropertyType`: one type as a string, several as an array. */
function propertyType(value: unknown): string | undefined {
  const types = typeof value === 'string' ? [value] : stringArray(value);
  if (types === undefined || types.length === 0) return undefined;
  return types.length === 1 ? goString(types[0] ?? '') : `[${types.map(goString).join(',')}]`;
}

/** `api.ToolProperty` (anyOf, type, items, description, enum, properties, required). */
function toolProperty(value: unknown): string {
  const schema = isRecord(value) ? value : {};
  const anyOf = Array.isArray(schema.anyOf) ? schema.anyOf : [];
  return struct([
    ['anyOf', anyOf.length === 0 ? undefined : `[${anyOf.map(toolProperty).join(',')}]`],
    ['type', propertyType(schema.type)],
    ['items', omitNil(schema.items)],
    ['description', omitEmpty(schema.description, (text) => goString(String(text)))],
    ['enum', omitEmpty(schema.enum, goSortedJson)],
    // Nested properties keep the order they were sent in (an ordered map); only the top level is sorted.
    ['properties', isRecord(schema.properties) ? orderedProperties(schema.properties) : undefined],
    ['required', omitEmpty(stringArray(schema.required), goSortedJson)],
  ]);
}

function orderedProperties(properties: Record<string, unknown>): string {
  return `{${Object.entries(properties)
    .map(([key, property]) => `${goString(key)}:${toolProperty(property)}`)
    .join(',')}}`;
}

/** The top-level `properties`: a Go map, so sorted; `null` when the tool has none. */
function sortedProperties(properties: unknown): string {
  if (!isRecord(properties)) return 'null';
  const keys = Object.keys(properties).sort();
  return `{${keys.map((key) => `${goString(key)}:${toolProperty(properties[key])}`).join(',')}}`;
}

export interface ToolDefinition {
  type?: unknown;
  items?: unknown;
  function?: { name?: unknown; description?: unknown; parameters?: unknown };
}

/** `templateToolFunction`: `{"name":…,"description":…,"parameters":{…}}`. */
export function toolFunctionJson(tool: ToolDefinition): string {
  const fn = isRecord(tool.function) ? tool.function : {};
  const parameters = isRecord(fn.parameters) ? fn.parameters : {};
  return struct([
    ['name', goString(typeof fn.name === 'string' ? fn.name : '')],
    ['description', goString(typeof fn.description === 'string' ? fn.description : '')],
    [
      'parameters',
      struct([
        ['type', goString(typeof parameters.type === 'string' ? parameters.type : '')],
        ['$defs', omitNil(parameters.$defs)],
        ['items', omitNil(parameters.items)],
        ['required', omitEmpty(stringArray(parameters.required), goSortedJson)],
        ['properties', sortedProperties(parameters.properties)],
      ]),
    ],
  ]);
}

/** `templateTool` (v0.30.0+ prints it as JSON): `{"type":"function","function":{…}}`. */
export function toolJson(tool: ToolDefinition): string {
  return struct([
    ['type', goString(typeof tool.type === 'string' ? tool.type : '')],
    ['items', omitNil(tool.items)],
    ['function', toolFunctionJson(tool)],
  ]);
}

/** `templateArgs`: a tool call's arguments as the template re-renders them (`{}` when absent). */
export function argumentsJson(args: unknown): string {
  return isRecord(args) ? goSortedJson(args) : '{}';
}

/** JSON as a model writes it: keys in its own order, `": "` and `", "` between items. */
export function modelJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(modelJson).join(', ')}]`;
  if (isRecord(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${modelJson(item)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value ?? null);
}
