import type { z } from 'zod';
import { type ErrorBody, errorBody } from '../errors.js';

export interface RequestIssue {
  /** Dotted path of the field, e.g. `options.optimizations.streaming`; `''` for the body itself. */
  path: string;
  message: string;
}

/** The body of a 400 for a request that failed its schema: every issue, each naming its field. */
export function invalidRequest(error: z.ZodError, what: string): ErrorBody & { issues: RequestIssue[] } {
  const issues: RequestIssue[] = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path === '' ? what : issue.path}: ${issue.message}`);
  return { ...errorBody('SERVER_INVALID_REQUEST', `invalid ${what}: ${summary.join('; ')}`), issues };
}
