import { isMemoryError, type MemoryErrorCode } from '@lunar/memory';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { errorBody } from '../errors.js';
import { invalidRequest } from '../http/request-issues.js';
import { MAX_SCOPE_LENGTH } from '../options.js';

const scope = z.string().min(1).max(MAX_SCOPE_LENGTH);

/**
 * The body of `POST /v1/memories`. `metadata` is checked by the store (JSON values only, at most 16
 * levels and 8 KiB): no recursive walk here, and the route's body limit bounds its work.
 */
const addSchema = z.strictObject({
  text: z.string().min(1, 'must not be empty'),
  scope: scope.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Largest `POST /v1/memories` body: a memory is at most 32 KiB of text and 8 KiB of metadata, and
 * JSON escapes can make them several times longer on the wire.
 */
export const MEMORY_BODY_LIMIT = 256 * 1024;

const querySchema = z.strictObject({
  query: z.string().min(1).optional(),
  k: z.coerce.number().int().min(1).max(100).optional(),
  scope: scope.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

/** The answer's status per failure: bad input 400, an embedding failure 502, a store that cannot serve now 503. */
const STATUS: Partial<Record<MemoryErrorCode, number>> = {
  MEMORY_INVALID_INPUT: 400,
  MEMORY_DIMENSION_MISMATCH: 400,
  MEMORY_EMBED_FAILED: 502,
  MEMORY_CLOSED: 503,
  MEMORY_BUSY: 503,
  MEMORY_UNREACHABLE: 503,
};

/** A memory-store failure as an answer (its MEMORY_* code); anything else (a storage failure) is a 500, logged. */
function sendStoreError(reply: FastifyReply, error: unknown) {
  if (isMemoryError(error)) {
    const status = STATUS[error.code] ?? 500;
    if (status === 503) reply.header('retry-after', '1');
    const message = status === 500 ? 'internal server error' : error.message;
    if (status === 500) reply.log.error({ err: error }, 'memory store failed');
    return reply.code(status).send({ error: message, code: error.code });
  }
  throw error;
}

/** `POST /v1/memories`, `GET /v1/memories` (search with `query`, else list), `DELETE /v1/memories/:id`. */
export async function memoryRoutes(app: FastifyInstance, { context }: { context: ServerContext }) {
  const store = context.memory;

  const bodyLimit = Math.min(context.options.bodyLimit, MEMORY_BODY_LIMIT);
  app.post('/v1/memories', { bodyLimit }, async (request, reply) => {
    const parsed = addSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalidRequest(parsed.error, 'memory'));
    const { text, ...options } = parsed.data;
    try {
      const memory = await store.add(text, options as Parameters<typeof store.add>[1]);
      return reply.code(201).header('location', `/v1/memories/${memory.id}`).send(memory);
    } catch (error) {
      return sendStoreError(reply, error);
    }
  });

  app.get('/v1/memories', async (request, reply) => {
    // An empty parameter (`?query=&k=`) counts as absent.
    const given = Object.entries(request.query as Record<string, unknown>).filter(
      ([, value]) => value !== '',
    );
    const parsed = querySchema.safeParse(Object.fromEntries(given));
    if (!parsed.success) return reply.code(400).send(invalidRequest(parsed.error, 'query string'));
    const { query, k, scope: only, limit, offset } = parsed.data;
    const scoped = only === undefined ? {} : { scope: only };
    try {
      if (query !== undefined) {
        const memories = await store.search(query, { ...scoped, ...(k === undefined ? {} : { k }) });
        return { memories };
      }
      const page = { ...(limit === undefined ? {} : { limit }), ...(offset === undefined ? {} : { offset }) };
      const [memories, total] = await Promise.all([store.list({ ...scoped, ...page }), store.count(only)]);
      return { memories, total };
    } catch (error) {
      return sendStoreError(reply, error);
    }
  });

  app.delete<{ Params: { id: string } }>('/v1/memories/:id', async (request, reply) => {
    try {
      if (await store.delete(request.params.id)) return reply.code(204).send();
      return reply.code(404).send(errorBody('SERVER_NOT_FOUND', `no memory ${request.params.id}`));
    } catch (error) {
      return sendStoreError(reply, error);
    }
  });
}
