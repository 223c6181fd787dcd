/**
 * Text from a model, a tool, a file or a memory must reach the terminal as text only: an escape
 * sequence in it (`\x1b[2J` clears the screen, `\x1b]52;c;...` writes the clipboard) would be acted
 * on. Every control character a terminal could act on is dropped: C0 except tab and newline
 * (carriage return too, which would let text overwrite what came before it), DEL, and C1. With ESC
 * gone, the rest of a sequence is shown as plain characters. Character by character, so a sequence
 * split across streamed chunks is caught as well.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without the control characters a terminal would act on (tab and newline kept). */
export function printable(text: string): string {
  return text.replace(CONTROL, '');
}

/** DEL and C1, which `JSON.stringify` leaves as they are (it escapes only U+0000 to U+001F). */
const UNESCAPED_CONTROL = /[\u007f-\u009f]/g;

/**
 * `value` as one JSON line with every control character escaped: `JSON.stringify` escapes C0, and
 * DEL and C1 (which can only occur inside strings) become `\u00XX` too. Parses to the same value.
 */
export function jsonLine(value: unknown): string {
  const json = JSON.stringify(value).replace(
    UNESCAPED_CONTROL,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${json}\n`;
}
