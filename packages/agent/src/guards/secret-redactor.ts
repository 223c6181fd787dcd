import type { OutputGuard, OutputGuardStream } from './guard.js';
import { DEFAULT_SECRET_RULES, type SecretRule } from './secret-rules.js';

type ScanResult = { kind: 'match'; end: number; keep: number } | { kind: 'none' } | { kind: 'need-more' };

const wordChar = /[A-Za-z0-9_]/;

/**
 * Redacts secrets (API keys, tokens, private keys) from a streamed answer. Text is released as
 * soon as no rule could still match it: only a trigger seen at the end of what has arrived, and
 * the body that follows it, are held back.
 */
export function secretRedactionGuard(rules: readonly SecretRule[] = DEFAULT_SECRET_RULES): OutputGuard {
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new TypeError('secretRedactionGuard: rules must be a non-empty array');
  }
  const triggers: Array<{ trigger: string; rule: SecretRule }> = [];
  for (const rule of rules) for (const trigger of rule.triggers) triggers.push({ trigger, rule });
  // Longer triggers first, so `sk-ant-` wins over `sk-` at the same position.
  triggers.sort((a, b) => b.trigger.length - a.trigger.length);
  return { name: 'secret-redaction', createStream: () => new RedactingStream(triggers) };
}

class RedactingStream implements OutputGuardStream {
  #buffer = '';
  /** The character just before the buffer in the answer, for word-boundary checks. */
  #before = '';
  #rewrites = 0;
  readonly #triggers: Array<{ trigger: string; rule: SecretRule }>;

  constructor(triggers: Array<{ trigger: string; rule: SecretRule }>) {
    this.#triggers = triggers;
  }

  get rewrites(): number {
    return this.#rewrites;
  }

  push(text: string): string {
    this.#buffer += text;
    return this.#drain(false);
  }

  flush(): string {
    return this.#drain(true);
  }

  #drain(final: boolean): string {
    const buffer = this.#buffer;
    let out = '';
    let from = 0;
    for (;;) {
      const found = this.#nextTrigger(buffer, from);
      if (!found) {
        const hold = final ? 0 : this.#partialTriggerAtEnd(buffer, from);
        out += buffer.slice(from, buffer.length - hold);
        this.#keep(buffer, buffer.length - hold);
        return out;
      }
      const result = scan(found.rule, buffer, found.position, found.trigger.length, final);
      if (result.kind === 'need-more') {
        out += buffer.slice(from, found.position);
        this.#keep(buffer, found.position);
        return out;
      }
      if (result.kind === 'none') {
        out += buffer.slice(from, found.position + 1);
        from = found.position + 1;
        continue;
      }
      out += buffer.slice(from, found.position + result.keep);
      out += `[redacted ${found.rule.name}]`;
      this.#rewrites += 1;
      from = result.end;
    }
  }

  #keep(buffer: string, start: number): void {
    if (start > 0) this.#before = buffer[start - 1] ?? '';
    this.#buffer = buffer.slice(start);
  }

  #charBefore(buffer: string, position: number): string {
    return position > 0 ? (buffer[position - 1] ?? '') : this.#before;
  }

  #nextTrigger(buffer: string, from: number) {
    let best: { position: number; trigger: string; rule: SecretRule } | undefined;
    for (const { trigger, rule } of this.#triggers) {
      let position = buffer.indexOf(trigger, from);
      // A trigger inside a word (`task-` in `risk-based`) is not the start of a secret.
      while (
        position !== -1 &&
        /^[A-Za-z0-9]/.test(trigger) &&
        wordChar.test(this.#charBefore(buffer, position))
      ) {
        position = buffer.indexOf(trigger, position + 1);
      }
      if (position !== -1 && (!best || position < best.position)) best = { position, trigger, rule };
    }
    return best;
  }

  /** Length of the longest tail of the buffer that is a proper prefix of some trigger. */
  #partialTriggerAtEnd(buffer: string, from: number): number {
    let hold = 0;
    for (const { trigger } of this.#triggers) {
      const longest = Math.min(trigger.length - 1, buffer.length - from);
      for (let length = longest; length > hold; length--) {
        const start = buffer.length - length;
        const insideWord = /^[A-Za-z0-9]/.test(trigger) && wordChar.test(this.#charBefore(buffer, start));
        if (!insideWord && buffer.endsWith(trigger.slice(0, length))) {
          hold = length;
          break;
        }
      }
    }
    return hold;
  }
}

function scan(
  rule: SecretRule,
  buffer: string,
  start: number,
  triggerLength: number,
  final: boolean,
): ScanResult {
  const bodyStart = start + triggerLength;
  if (rule.kind === 'block') {
    const headerEnd = buffer.indexOf('-----', bodyStart);
    if (headerEnd === -1) {
      if (final || buffer.length - start > 200) return { kind: 'none' };
      return { kind: 'need-more' };
    }
    const header = buffer.slice(start, headerEnd + 5);
    if (!header.endsWith(rule.headerSuffix)) return { kind: 'none' };
    const footer = buffer.indexOf(rule.footer, headerEnd + 5);
    const footerEnd = footer === -1 ? -1 : buffer.indexOf('-----', footer + rule.footer.length);
    if (footerEnd !== -1 && footerEnd + 5 - start <= rule.maxLength)
      return { kind: 'match', end: footerEnd + 5, keep: 0 };
    if (buffer.length - start >= rule.maxLength)
      return { kind: 'match', end: start + rule.maxLength, keep: 0 };
    // A private key header was seen: at the end of the answer, redact the rest rather than leak it.
    return final ? { kind: 'match', end: buffer.length, keep: 0 } : { kind: 'need-more' };
  }
  let end = bodyStart;
  while (end < buffer.length && end - bodyStart < rule.maxBody && rule.body.test(buffer[end] ?? '')) end++;
  const length = end - bodyStart;
  if (end === buffer.length && length < rule.maxBody && !final) return { kind: 'need-more' };
  if (length < rule.minBody) return { kind: 'none' };
  if (rule.validate && !rule.validate(buffer.slice(bodyStart, end))) return { kind: 'none' };
  return { kind: 'match', end, keep: rule.keepTrigger ? triggerLength : 0 };
}
