const GO_ESCAPED = /[<>&\u2028\u2029]/g;

function unicodeEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * JSON text as Go's `json.Marshal` writes it, which is how Ollama writes every body and NDJSON
 * line: `JSON.stringify`, with `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c`, `\u003e`,
 * `\u0026`, `\u2028`, `\u2029` (those characters only occur inside JSON strings, keys included).
 * A proxy that re-encodes Ollama's answers with it sends the bytes Ollama would have sent.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(GO_ESCAPED, unicodeEscape);
}
