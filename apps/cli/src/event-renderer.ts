import { type AgentEvent, formatProfile, type StageRecord, stageLabel } from '@lunar/agent';
import type { Terminal } from './terminal.js';
import { jsonLine, printable } from './terminal-text.js';

export interface RendererOptions {
  /** Every event as one JSON line on stdout, nothing else. */
  json: boolean;
  /** The stage waterfall on stderr after the answer. */
  profile: boolean;
  /** A line per finished stage on stderr (on a terminal only, by default). */
  stages: boolean;
}

/**
 * Whether the streamed answer left stdout in the middle of a line; shared by the turns of a chat
 * and its notices, so a notice on a shared terminal starts on a line of its own.
 */
export interface AnswerLine {
  midLine: boolean;
}

/** How a turn ended, as far as the command is concerned. */
export type TurnOutcome = 'done' | 'error' | 'aborted';

const MAX_SHOWN = 120;

const ms = (value: number) =>
  value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value).toLocaleString('en-US')} ms`;

function brief(text: string): string {
  const line = printable(text).replace(/\s+/g, ' ').trim();
  return line.length > MAX_SHOWN ? `${line.slice(0, MAX_SHOWN - 1)}…` : line;
}

function stageLine(stage: StageRecord): string {
  const notes = [ms(stage.durationMs)];
  if (stage.cache !== undefined && stage.cache !== 'off') notes.push(`cache ${stage.cache}`);
  const firstChunk = stage.detail?.timeToFirstTokenMs;
  if (typeof firstChunk === 'number') notes.push(`first chunk ${ms(firstChunk)}`);
  return `· ${stageLabel(stage)}  ${notes.join(', ')}`;
}

/**
 * Renders one turn's events: the answer's text on stdout as it streams; tool calls, tool results
 * and (on a terminal) stages on stderr, one dim line each. Lines that would land in the middle of
 * the streamed answer on a shared terminal wait until the answer ends. Nothing from the events
 * reaches the terminal with a control character in it (see `printable`), so a model, a tool or a
 * memory cannot send the terminal an escape sequence; the only escape codes are Lunar's colours.
 */
export class EventRenderer {
  readonly #terminal: Terminal;
  readonly #options: RendererOptions;
  readonly #answer: AnswerLine;
  #held: string[] = [];

  constructor(terminal: Terminal, options: RendererOptions, answer: AnswerLine = { midLine: false }) {
    this.#terminal = terminal;
    this.#options = options;
    this.#answer = answer;
  }

  /** Renders one event; returns the outcome when the event ends the turn. */
  render(event: AgentEvent): TurnOutcome | undefined {
    if (this.#options.json) {
      this.#terminal.stdout.write(jsonLine(event));
      if (event.type === 'done') return 'done';
      if (event.type === 'error') return event.code === 'AGENT_ABORTED' ? 'aborted' : 'error';
      return undefined;
    }
    const { red } = this.#terminal.style;
    switch (event.type) {
      case 'text-delta': {
        const text = printable(event.text);
        if (text === '') return undefined;
        this.#terminal.stdout.write(text);
        this.#answer.midLine = !text.endsWith('\n');
        return undefined;
      }
      case 'stage':
        if (this.#options.stages) this.#line(stageLine(event.stage));
        return undefined;
      case 'tool-call':
        this.#line(`→ ${event.name} ${brief(JSON.stringify(event.arguments) ?? '')}`);
        return undefined;
      case 'tool-result': {
        const status = event.ok ? `ok in ${ms(event.durationMs)}` : `failed (${event.errorCode ?? 'error'})`;
        this.#line(`← ${event.name} ${status}: ${brief(event.output)}`);
        return undefined;
      }
      case 'done':
        this.#endAnswer();
        if (this.#options.profile) {
          this.#terminal.stderr.write(`\n${printable(formatProfile(event.profile))}\n`);
        }
        return 'done';
      case 'error':
        this.#endAnswer();
        if (event.code === 'AGENT_ABORTED') return 'aborted';
        this.#terminal.stderr.write(`${red(`lunar: ${printable(event.message)}`)}\n`);
        return 'error';
    }
  }

  /** One dim line on stderr, without control characters; held while the answer is mid-line. */
  #line(plain: string): void {
    const text = this.#terminal.style.dim(printable(plain));
    const shared = this.#terminal.stdout.isTTY === true && this.#terminal.stderr.isTTY === true;
    if (shared && this.#answer.midLine) this.#held.push(text);
    else this.#terminal.stderr.write(`${text}\n`);
  }

  #endAnswer(): void {
    if (this.#answer.midLine) this.#terminal.stdout.write('\n');
    this.#answer.midLine = false;
    for (const line of this.#held) this.#terminal.stderr.write(`${line}\n`);
    this.#held = [];
  }
}
