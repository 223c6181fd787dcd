/** POSTs `body` with `fetch`: as JSON, or a string as it is (a body that is not plain JSON). */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}

/**
 * The values of a whole NDJSON body, one a line. Throws when the body does not end with a newline
 * (an answer cut short), saying how it ends.
 */
export function ndjsonLines(text: string): unknown[] {
  if (!text.endsWith('\n')) {
    throw new Error(`ndjsonLines: the body does not end with a newline: ${JSON.stringify(text.slice(-80))}`);
  }
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
}
