import type { OutgoingHttpHeaders } from 'node:http';
import type { Agent, AgentErrorCode, AgentEvent, StageRecord, ToolResultEvent } from '@lunar/agent';
import { ResponseStream } from '@lunar/ollama-proxy';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { errorBody } from '../errors.js';
import { invalidRequest } from '../http/request-issues.js';
import { ndjsonLine, sseFrame } from '../turns/event-framing.js';
import { serverTiming } from '../turns/server-timing.js';
import { publicTurnError } from '../turns/turn-error.js';
import { type TurnRequest, turnRequestSchema } from '../turns/turn-request.js';

/** HTTP status of a turn that ended in an error, for `stream: false`. */
const ERROR_STATUS: Record<AgentErrorCode, number> = {
  AGENT_INVALID_INPUT: 400,
  AGENT_GUARD_REFUSED: 422,
  AGENT_OLLAMA_UNREACHABLE: 502,
  AGENT_MODEL_NOT_FOUND: 502,
  AGENT_LLM_FAILED: 502,
  AGENT_MEMORY_FAILED: 502,
  AGENT_MAX_TOOL_ROUNDS: 500,
  AGENT_ABORTED: 503,
  AGENT_INVALID_EXPRESSION: 500,
  AGENT_BENCHMARK_FAILED: 500,
  AGENT_INTERNAL: 500,
};

type Format = 'sse' | 'ndjson' | 'json';

const INTERNAL = 'internal server error: the server log has the details';

const CONTENT_TYPE: Record<Exclude<Format, 'json'>, string> = {
  sse: 'text/event-stream; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

function formatOf(request: FastifyRequest, body: TurnRequest): Format {
  if (body.stream === false) return 'json';
  return /application\/x-ndjson/i.test(request.headers.accept ?? '') ? 'ndjson' : 'sse';
}

/** One turn being answered: where its events go besides the client. */
interface TurnScope {
  context: ServerContext;
  /** The request's logger (its lines carry the request id). */
  log: FastifyBaseLogger;
  /** The turn's model, for the `ollama pull` advice. */
  model: string;
}

/**
 * Observes every event for the metrics, and returns it as the client may see it: an error's
 * internal detail (Ollama hosts' URLs, exception text) is logged with the request id, not sent.
 */
function observe({ context, log, model }: TurnScope, event: AgentEvent): AgentEvent {
  if (event.type === 'stage') context.metrics.stage(event.stage);
  else if (event.type === 'done') context.metrics.turn(event.profile, 'done');
  else if (event.type === 'error') {
    context.metrics.turn(event.profile, event.code);
    const shown = publicTurnError(event, model, { closing: context.closing() });
    if (shown.replaced) log.warn({ code: event.code, detail: event.message }, 'turn failed');
    return shown.event;
  }
  return event;
}

/**
 * Streams the turn's events. Headers wait for the first event that is not a stage, so the stages
 * finished by then go in `Server-Timing`; each write waits for the socket (backpressure), so the
 * agent, and through it the Ollama read, go at the reader's pace.
 */
async function streamTurn(
  scope: TurnScope,
  events: AsyncGenerator<AgentEvent>,
  out: ResponseStream,
  format: Exclude<Format, 'json'>,
): Promise<void> {
  const frame = format === 'sse' ? sseFrame : ndjsonLine;
  const held: StageRecord[] = [];
  for await (const agentEvent of events) {
    const event = observe(scope, agentEvent);
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
      if (scope.context.closing()) headers.connection = 'close';
      out.start(200, headers);
      for (const stage of held) await out.write(frame({ type: 'stage', stage }));
    }
    if (!(await out.write(frame(event)))) break;
  }
  out.end();
}

/** Collects the turn into one JSON answer: `{ text, toolResults, profile }`, or the error. */
async function wholeTurn(scope: TurnScope, events: AsyncGenerator<AgentEvent>, out: ResponseStream) {
  const toolResults: ToolResultEvent[] = [];
  for await (const agentEvent of events) {
    const event = observe(scope, agentEvent);
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
  out.json(500, errorBody('SERVER_INTERNAL', INTERNAL));
}

async function runTurn(
  scope: TurnScope,
  agent: Agent,
  body: TurnRequest,
  out: ResponseStream,
  format: Format,
) {
  const { context } = scope;
  const controller = context.turns.enter(out.signal);
  try {
    const events = agent.run(body.message, {
      signal: controller.signal,
      ...(body.sessionId === undefined ? {} : { sessionId: body.sessionId }),
      ...(body.options?.optimizations === undefined ? {} : { optimizations: body.options.optimizations }),
    });
    if (format === 'json') await wholeTurn(scope, events, out);
    else await streamTurn(scope, events, out, format);
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
        ...errorBody('SERVER_INVALID_REQUEST', `invalid turn request: model: ${message}`),
        issues: [{ path: 'model', message }],
      });
    }
    if (context.turns.size >= context.options.maxTurns) {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(
          errorBody(
            'SERVER_BUSY',
            `too many turns at once (${context.options.maxTurns}): try again in a second`,
          ),
        );
    }
    reply.hijack();
    const out = new ResponseStream(reply.raw);
    try {
      const scope = { context, log: request.log, model: agent.model };
      await runTurn(scope, agent, body, out, formatOf(request, body));
    } catch (error) {
      request.log.error({ err: error }, 'turn failed');
      out.json(500, errorBody('SERVER_INTERNAL', INTERNAL));
    }
  });
}
