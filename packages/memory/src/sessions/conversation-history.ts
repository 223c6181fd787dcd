import { checkOptionKeys } from '../store-options.js';
import type { HistoryMessage, SessionStore } from './session-store.js';

export interface ConversationHistoryOptions {
  /** Turns kept per session (default 20). */
  maxTurns?: number;
  /** Bytes of JSON kept per session (default 64 KiB). */
  maxBytes?: number;
  /** Sessions kept; the least recently used is dropped past it (default 1,000). */
  maxSessions?: number;
}

interface Turn {
  messages: HistoryMessage[];
  bytes: number;
}

interface Session {
  turns: Turn[];
  bytes: number;
}

/** Default bounds of one session's history, in every session store. */
export const DEFAULT_MAX_TURNS = 20;
export const DEFAULT_MAX_SESSION_BYTES = 64 * 1024;

/** Bytes a turn counts for: its messages as JSON, in UTF-8. */
export function turnBytes(messages: readonly HistoryMessage[]): number {
  return Buffer.byteLength(JSON.stringify(messages));
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`ConversationHistory: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * The conversation so far, per session, in this process's memory, bounded by turns and by bytes:
 * when a bound is passed, the oldest turns are dropped first. A turn larger than `maxBytes` on its
 * own is not kept. The session store of one server; `RedisSessionStore` shares sessions between
 * servers.
 */
export class ConversationHistory implements SessionStore {
  readonly maxTurns: number;
  readonly maxBytes: number;
  readonly maxSessions: number;
  readonly #sessions = new Map<string, Session>();

  constructor(options: ConversationHistoryOptions = {}) {
    checkOptionKeys('ConversationHistory', options, ['maxTurns', 'maxBytes', 'maxSessions']);
    this.maxTurns = positiveInteger('maxTurns', options.maxTurns, DEFAULT_MAX_TURNS);
    this.maxBytes = positiveInteger('maxBytes', options.maxBytes, DEFAULT_MAX_SESSION_BYTES);
    this.maxSessions = positiveInteger('maxSessions', options.maxSessions, 1_000);
  }

  /** The session's messages, oldest first. */
  messages(sessionId: string): HistoryMessage[] {
    const session = this.#sessions.get(sessionId);
    if (!session) return [];
    // Touch: the session becomes the most recently used.
    this.#sessions.delete(sessionId);
    this.#sessions.set(sessionId, session);
    return session.turns.flatMap((turn) => turn.messages);
  }

  /** Adds one finished turn (the user's message and every message the turn produced). */
  append(sessionId: string, messages: HistoryMessage[]): void {
    const bytes = turnBytes(messages);
    const session = this.#sessions.get(sessionId) ?? { turns: [], bytes: 0 };
    this.#sessions.delete(sessionId);
    session.turns.push({ messages, bytes });
    session.bytes += bytes;
    while (session.turns.length > this.maxTurns || session.bytes > this.maxBytes) {
      const dropped = session.turns.shift();
      if (!dropped) break;
      session.bytes -= dropped.bytes;
    }
    this.#sessions.set(sessionId, session);
    while (this.#sessions.size > this.maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
  }

  clear(sessionId?: string): void {
    if (sessionId === undefined) this.#sessions.clear();
    else this.#sessions.delete(sessionId);
  }

  /** Turns and bytes kept for a session. */
  size(sessionId: string): { turns: number; bytes: number } {
    const session = this.#sessions.get(sessionId);
    return { turns: session?.turns.length ?? 0, bytes: session?.bytes ?? 0 };
  }

  get sessions(): number {
    return this.#sessions.size;
  }
}
