/**
 * Runs a native handler (`/api/chat`, `/api/generate`, `/api/embed`) for an OpenAI-compatible
 * route, as Ollama's middleware does: the handler writes to a stand-in for the response writer,
 * whose lines and bodies the route translates and writes through the request's real writer (so
 * its faults apply to what the client sees). A failure before any byte becomes an OpenAI error.
 */
import { isOllamaSimError } from '../errors.js';
import type { AnswerWriter } from '../response-writer.js';
import type { AnswerContext, RequestContext } from '../sim-state.js';
import { sendOpenAIError } from './openai-error.js';

/** What an OpenAI route does with what the native handler writes. */
export interface Translation {
  /** A streamed native line; false once the answer ended (a fault cut it). */
  line(json: string): Promise<boolean>;
  /** A whole native body (`stream: false`, embeddings), with its status. */
  body(status: number, json: string): Promise<void>;
  /** The native stream ended. */
  end(): void;
  /** The native handler failed after the answer began. */
  failed(message: string): Promise<void>;
}

/** Hands what a native handler writes to the route's translation. */
class NativeCapture implements AnswerWriter {
  constructor(private readonly translation: Translation) {}

  line(json: string): Promise<boolean> {
    return this.translation.line(json);
  }

  json(status: number, body: string): Promise<void> {
    return this.translation.body(status, body);
  }

  end(): void {
    this.translation.end();
  }
}

export async function runNative(
  context: RequestContext,
  nativeBody: unknown,
  handler: (context: AnswerContext) => Promise<void>,
  translation: Translation,
): Promise<void> {
  const writer = new NativeCapture(translation);
  try {
    await handler({ ...context, writer, body: JSON.stringify(nativeBody) });
  } catch (error) {
    if (context.signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (context.writer.res.headersSent) {
      await translation.failed(message);
      return;
    }
    sendOpenAIError(
      context.writer.res,
      isOllamaSimError(error, 'OLLAMA_SIM_HTTP') ? (error.status ?? 500) : 500,
      message,
    );
  }
}

/** Starts an SSE answer on the real writer (the header goes out with the first event, as in Ollama). */
export function startEvents(context: RequestContext): void {
  if (!context.writer.res.headersSent)
    context.writer.res.writeHead(200, { 'Content-Type': 'text/event-stream' });
}

/** Writes one SSE event (`data: <json>` and a blank line). False once the answer ended. */
export function sendEvent(context: RequestContext, data: string): Promise<boolean> {
  startEvents(context);
  return context.writer.line(`data: ${data}\n`);
}

/** Writes SSE events in order; false once the answer ended. */
export async function sendEvents(context: RequestContext, events: readonly string[]): Promise<boolean> {
  for (const event of events) if (!(await sendEvent(context, event))) return false;
  return true;
}
