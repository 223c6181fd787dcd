// The soak's requests: what each kind sends, and how its answer is judged (ok, failed, or wrong).
import { timedRequest } from '@lunar/dev-kit';

export const MODEL = 'llama3.2:3b';

/** The kinds of request the soak mixes, with their share of the traffic (out of 100). */
export const KINDS = {
  /** A deterministic streamed chat through the proxy (cache hits, misses and joins). */
  'proxy-stream': 40,
  /** A deterministic chat through the proxy, `stream: false`. */
  'proxy-whole': 15,
  /** A sampled streamed chat through the proxy (the cache lets it by). */
  'proxy-sampled': 15,
  /** An agent turn, streamed as SSE, in a session of its own. */
  turn: 20,
  /** A memory written. */
  'memory-add': 5,
  /** A memory search. */
  'memory-search': 5,
} as const;

export type Kind = keyof typeof KINDS;

/**
 * How a request ended: `ok` (a whole, right answer), `failed` (an error status, an error line, a
 * cut connection: the client knows it did not get the answer), or `wrong` (an answer that looks
 * whole but is not the right one: the failure a soak exists to catch).
 */
export type Outcome = 'ok' | 'failed' | 'wrong';

export interface RequestRecord {
  kind: Kind;
  outcome: Outcome;
  /** performance.now() at the start and the end. */
  startedAt: number;
  endedAt: number;
  /** Why it failed or is wrong, for the report. */
  detail?: string;
}

/** The deterministic questions asked again and again: a pool small enough for hits, large enough for misses. */
export const QUESTIONS = Array.from(
  { length: 40 },
  (_, index) => `Why does the soak ask question ${index}? Tell me about the sea and the stars.`,
);

export const deterministicChat = (question: string, stream: boolean) => ({
  model: MODEL,
  messages: [{ role: 'user', content: question }],
  options: { temperature: 0 },
  stream,
});

/** The right answers: each question asked of the simulator directly, streamed and whole. */
export interface References {
  stream: Map<string, string>;
  whole: Map<string, string>;
}

/** The content of a chat stream's chunks, and whether it ended whole (a `done` line, no error line). */
function readChatStream(body: string): { content: string; whole: boolean; error?: string } {
  let content = '';
  let whole = false;
  for (const line of body.split('\n')) {
    if (line === '') continue;
    let chunk: { message?: { content?: string }; done?: boolean; error?: string };
    try {
      chunk = JSON.parse(line);
    } catch {
      return { content, whole: false, error: `not JSON: ${line.slice(0, 80)}` };
    }
    if (chunk.error !== undefined) return { content, whole: false, error: chunk.error };
    content += chunk.message?.content ?? '';
    if (chunk.done === true) whole = true;
  }
  return { content, whole };
}

export async function loadReferences(simUrl: string): Promise<References> {
  const references: References = { stream: new Map(), whole: new Map() };
  for (const question of QUESTIONS) {
    const streamed = await timedRequest(`${simUrl}/api/chat`, 'POST', deterministicChat(question, true));
    references.stream.set(question, readChatStream(streamed.body).content);
    const whole = await timedRequest(`${simUrl}/api/chat`, 'POST', deterministicChat(question, false));
    references.whole.set(
      question,
      (JSON.parse(whole.body) as { message: { content: string } }).message.content,
    );
  }
  return references;
}

/** One SSE body's events, parsed; undefined when a frame is not JSON. */
function readSse(body: string): Array<{ type: string; text?: string; message?: string }> | undefined {
  const events: Array<{ type: string; text?: string; message?: string }> = [];
  for (const frame of body.split('\n\n')) {
    const data = frame
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .join('\n');
    if (data === '') continue;
    try {
      events.push(JSON.parse(data));
    } catch {
      return undefined;
    }
  }
  return events;
}

type Judged = Pick<RequestRecord, 'outcome' | 'detail'>;

const failed = (detail: string): Judged => ({ outcome: 'failed', detail });

/** Sends one request of `kind` (the `index`-th of the run) to the server and judges its answer. */
export async function send(
  url: string,
  kind: Kind,
  index: number,
  references: References,
): Promise<RequestRecord> {
  const startedAt = performance.now();
  const judged = await judge(url, kind, index, references);
  return { kind, startedAt, endedAt: performance.now(), ...judged };
}

async function judge(url: string, kind: Kind, index: number, references: References): Promise<Judged> {
  const question = QUESTIONS[index % QUESTIONS.length]!;
  switch (kind) {
    case 'proxy-stream': {
      const answer = await timedRequest(`${url}/api/chat`, 'POST', deterministicChat(question, true));
      if (answer.status !== 200) return failed(`${answer.status} ${answer.body.slice(0, 160)}`);
      const stream = readChatStream(answer.body);
      if (!stream.whole) return failed(stream.error ?? 'the stream ended without its done line');
      if (stream.content !== references.stream.get(question)) {
        return { outcome: 'wrong', detail: `${answer.cache}: ${stream.content.slice(0, 80)}` };
      }
      return { outcome: 'ok' };
    }
    case 'proxy-whole': {
      const answer = await timedRequest(`${url}/api/chat`, 'POST', deterministicChat(question, false));
      if (answer.status !== 200) return failed(`${answer.status} ${answer.body.slice(0, 160)}`);
      let content: string | undefined;
      try {
        content = (JSON.parse(answer.body) as { message?: { content?: string } }).message?.content;
      } catch {
        return { outcome: 'wrong', detail: `a 200 that is not JSON: ${answer.body.slice(0, 80)}` };
      }
      if (content !== references.whole.get(question)) {
        return { outcome: 'wrong', detail: `${answer.cache}: ${String(content).slice(0, 80)}` };
      }
      return { outcome: 'ok' };
    }
    case 'proxy-sampled': {
      const body = { model: MODEL, messages: [{ role: 'user', content: `Say anything (${index}).` }] };
      const answer = await timedRequest(`${url}/api/chat`, 'POST', body);
      if (answer.status !== 200) return failed(`${answer.status} ${answer.body.slice(0, 160)}`);
      const stream = readChatStream(answer.body);
      if (!stream.whole) return failed(stream.error ?? 'the stream ended without its done line');
      if (stream.content === '') return { outcome: 'wrong', detail: 'a whole stream without any text' };
      return { outcome: 'ok' };
    }
    case 'turn': {
      const body = { message: question, sessionId: `soak-${index}` };
      const answer = await timedRequest(`${url}/v1/turns`, 'POST', body);
      if (answer.status !== 200) return failed(`${answer.status} ${answer.body.slice(0, 160)}`);
      const events = readSse(answer.body);
      if (events === undefined) return { outcome: 'wrong', detail: 'an SSE frame that is not JSON' };
      const last = events.at(-1);
      if (last?.type === 'error') return failed(`error event: ${last.message}`);
      if (last?.type !== 'done') return failed('the stream ended without its done event');
      const deltas = events.filter((event) => event.type === 'text-delta').map((event) => event.text);
      if (deltas.join('') !== last.text || last.text === '') {
        return { outcome: 'wrong', detail: 'the done text is not the text streamed' };
      }
      return { outcome: 'ok' };
    }
    case 'memory-add': {
      const body = { text: `The soak wrote note ${index} about the sea.`, scope: 'soak' };
      const answer = await timedRequest(`${url}/v1/memories`, 'POST', body);
      if (answer.status !== 201) return failed(`${answer.status} ${answer.body.slice(0, 160)}`);
      return { outcome: 'ok' };
    }
    case 'memory-search': {
      const answer = await timedRequest(`${url}/v1/memories?query=sea&scope=soak&k=3`, 'GET', undefined);
      if (answer.status !== 200) return failed(`${answer.status} ${answer.body.slice(0, 160)}`);
      const { memories } = JSON.parse(answer.body) as { memories?: unknown[] };
      if (!Array.isArray(memories)) return { outcome: 'wrong', detail: 'a search answer without memories' };
      return { outcome: 'ok' };
    }
  }
}

/** The kind of the `index`-th request: the shares of KINDS, spread evenly over every 100. */
export function kindOf(index: number): Kind {
  let slot = (index * 37) % 100; // 37 is prime to 100: every slot once per 100 requests, interleaved
  for (const [kind, share] of Object.entries(KINDS) as Array<[Kind, number]>) {
    if (slot < share) return kind;
    slot -= share;
  }
  return 'proxy-stream';
}
