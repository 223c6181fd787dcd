import type { z } from 'zod';
import { OllamaError } from './errors.js';

/** Parse `value` with `schema`, or throw an OLLAMA_PROTOCOL_ERROR saying which field was wrong. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string, host: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new OllamaError(
    'OLLAMA_PROTOCOL_ERROR',
    `Ollama at ${host} sent ${what} of an unexpected shape (${where}${issue?.message ?? 'invalid'})`,
    { cause: result.error, host },
  );
}
