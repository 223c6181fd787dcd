import { ALL_ON, type Optimizations } from '@lunar/agent';
import { z } from 'zod';

const switches = Object.fromEntries(
  Object.keys(ALL_ON).map((name) => [name, z.boolean().optional()]),
) as Record<keyof Optimizations, z.ZodOptional<z.ZodBoolean>>;

/** The body of `POST /v1/turns`. Unknown fields are refused, so a typo is an error, not a no-op. */
export const turnRequestSchema = z.strictObject({
  message: z.string().min(1, 'must not be empty'),
  sessionId: z.string().min(1).max(128).optional(),
  model: z.string().min(1).optional(),
  options: z
    .strictObject({
      optimizations: z.strictObject(switches).optional(),
    })
    .optional(),
  stream: z.boolean().optional(),
});

export type TurnRequest = z.infer<typeof turnRequestSchema>;
