/** A chat message as it goes back to Ollama in later turns (other fields are kept as given). */
export interface HistoryMessage {
  role: string;
  content: string;
}

/**
 * Where an agent keeps each session's conversation between turns. `ConversationHistory` keeps it
 * in the process (one server); `RedisSessionStore` in Redis, shared by every server, so a
 * conversation may move between them. Either may answer synchronously or with a promise.
 */
export interface SessionStore {
  /** The session's messages, oldest first (`[]` for a session it does not know). */
  messages(sessionId: string): HistoryMessage[] | Promise<HistoryMessage[]>;
  /** Adds one finished turn: the user's message and every message the turn produced. */
  append(sessionId: string, messages: HistoryMessage[]): void | Promise<void>;
  /** Forgets one session, or every session. */
  clear(sessionId?: string): void | Promise<void>;
}
