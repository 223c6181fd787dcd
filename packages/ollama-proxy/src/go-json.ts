const ESCAPED = /[<>&\u2028\u2029]/g;

function unicodeEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** JSON as Go's `json.Marshal` writes it (Ollama's encoder): `<`, `>`, `&`, U+2028, U+2029 escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(ESCAPED, unicodeEscape);
}
