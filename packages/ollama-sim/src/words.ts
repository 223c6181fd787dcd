/** Word helpers shared by the scripted model's rules. */

/** Lower-case words of a tool or property name: `get_weather`, `getWeather` -> `get`, `weather`. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

export interface PositionedWord {
  word: string;
  position: number;
}

/** Lower-case words of a text with their offsets. */
export function textWords(text: string): PositionedWord[] {
  const words: PositionedWord[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    words.push({ word: match[0].toLowerCase(), position: match.index });
  }
  return words;
}

/** Same word, allowing a plural `s`/`es` on either side: `doc` ~ `docs`, `city` !~ `cities`. */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return long === `${short}s` || long === `${short}es`;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
