import type { OutgoingHttpHeaders } from 'node:http';
import type { Agent, AgentErrorCode, AgentEvent, StageRecord, ToolResultEvent } from '@lunar/agent';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { ndjsonLine, sseFrame } from '../event-framing.js';
import { invalidRequest } from '../request-issues.js';
import { ResponseStream } from '../response-stream.js';
import { serverTiming } from '../server-timing.js';
import { type TurnRequest, turnRequestSchema } from '../turn-request.js';

/** HTTP status of a turn that ended in an error, for `stream: false`. */
const ERROR_STATUS: Record<AgentErrorCode, number> = {
  'invalid-input': 400,
  'guard-refused': 422,
  'ollama-unreachable': 502,
  'model-not-found': 502,
  'llm-failed': 502,
  'memory-failed': 502,
  'max-tool-rounds': 500,
  aborted: 503,
  internal: 500,
};

type Format = 'sse' | 'ndjson' | 'json';

const CONTENT_TYPE: Record<Exclude<Format, 'json'>, string> = {
  sse: 'text/event-stream; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

function formatOf(request: FastifyRequest, body: TurnRequest): Format {
  if (body.stream === false) return 'json';
  return /application\/x-ndjson/i.test(request.headers.accept ?? '') ? 'ndjson' : 'sse';
}

/** Observes every event for the metrics. */
function observe(context: ServerContext, event: AgentEvent): void {
  if (event.type === 'stage') context.metrics.stage(event.stage);
  else if (event.type === 'done') context.metrics.turn(event.profile, 'done');
  else if (event.type === 'error') context.metrics.turn(event.profile, event.code);
}

/**
 * Streams the turn's events. Headers wait for the first event that is not a stage, so the stages
 * finished by then go in `Server-Timing`; each write waits for the socket (backpressure), so the
 * agent, and through it the Ollama read, go at the reader's pace.
 */
async function streamTurn(
  context: ServerContext,
  events: AsyncGenerator<AgentEvent>,
  out: ResponseStream,
  format: Exclude<Format, 'json'>,
): Promise<void> {
  const frame = format === 'sse' ? sseFrame : ndjsonLine;
  const held: StageRecord[] = [];
  for await (const event of events) {
    observe(context, event);
    if (!out.started) {
      if (event.type === 'stage') {
        held.push(event.stage);
        continue;
      }
      const headers: OutgoingHttpHeaders = {
        'content-type': CONTENT_TYPE[format],
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      };
      if (held.length > 0) headers['server-timing'] = serverTiming(held);
      if (context.closing()) headers.connection = 'close';
      out.start(200, headers);
      for (const stage of held) await out.write(frame({ type: 'stage', stage }));
    }
    if (!(await out.write(frame(event)))) break;
  }
  out.end();
}

/** Collects the turn into one JSON answer: `{ text, toolResults, profile }`, or the error. */
async function wholeTurn(context: ServerContext, events: AsyncGenerator<AgentEvent>, out: ResponseStream) {
  const toolResults: ToolResultEvent[] = [];
  for await (const event of events) {
    observe(context, event);
    if (event.type === 'tool-result') toolResults.push(event);
    else if (event.type === 'done') {
      out.json(200, { text: event.text, toolResults, profile: event.profile });
      return;
    } else if (event.type === 'error') {
      const body = { error: event.message, code: event.code, profile: event.profile };
      out.json(ERROR_STATUS[event.code], body);
      return;
    }
  }
  out.json(500, { error: 'internal server error', code: 'internal' });
}

async function runTurn(
  context: ServerContext,
  agent: Agent,
  body: TurnRequest,
  out: ResponseStream,
  format: Format,
) {
  const controller = context.turns.enter(out.signal);
  try {
    const events = agent.run(body.message, {
      signal: controller.signal,
      ...(body.sessionId === undefined ? {} : { sessionId: body.sessionId }),
      ...(body.options?.optimizations === undefined ? {} : { optimizations: body.options.optimizations }),
    });
    if (format === 'json') await wholeTurn(context, events, out);
    else await streamTurn(context, events, out, format);
  } finally {
    context.turns.leave(controller);
  }
}

/** `POST /v1/turns`: one agent turn, streamed as SSE (default) or NDJSON, or one JSON document. */
export async function turnRoutes(app: FastifyInstance, { context }: { context: ServerContext }) {
  app.post('/v1/turns', async (request, reply) => {
    const parsed = turnRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalidRequest(parsed.error, 'turn request'));
    const body = parsed.data;
    const agent = context.agents.get(body.model);
    if (!agent) {
      const message = `"${body.model}" is not served here; the models are ${context.agents.models.join(', ')}`;
      return reply.code(400).send({
        error: `invalid turn request: model: ${message}`,
        code: 'invalid-request',
        issues: [{ path: 'model', message }],
      });
    }
    if (context.turns.size >= context.options.maxTurns) {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ error: `too many turns in flight (${context.options.maxTurns}); try again`, code: 'busy' });
    }
    reply.hijack();
    const out = new ResponseStream(reply.raw);
    try {
      await runTurn(context, agent, body, out, formatOf(request, body));
    } catch (error) {
      request.log.error({ err: error }, 'turn failed');
      out.json(500, { error: 'internal server error', code: 'internal' });
    }
  });
}
