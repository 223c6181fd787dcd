const words = [
  'the',
  ' model',
  ' streams',
  ' tokens',
  ',',
  ' 東京',
  ' は',
  ' 晴れ',
  ' 🌤️',
  ' and',
  ' \\u003cb\\u003e',
  ' ok',
];

/** A long chat answer as Ollama writes it: one JSON line per token, then the final chunk with metrics. */
export function chatNdjson(tokens: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < tokens; i++) {
    const created = `2025-06-01T12:00:${String(i % 60).padStart(2, '0')}.123456789Z`;
    lines.push(
      `{"model":"llama3.2:3b","created_at":"${created}","message":{"role":"assistant","content":"${words[i % words.length]}"},"done":false}`,
    );
  }
  lines.push(
    '{"model":"llama3.2:3b","created_at":"2025-06-01T12:01:00.1Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,"prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000}',
  );
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** Split bytes at each newline: one chunk per line, as Ollama flushes them. */
export function perLine(bytes: Uint8Array): Buffer[] {
  const buffer = Buffer.from(bytes);
  const chunks: Buffer[] = [];
  let start = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, start)) {
    chunks.push(buffer.subarray(start, i + 1));
    start = i + 1;
  }
  return chunks;
}

/** Split bytes every `size` bytes, wherever that falls (inside lines and characters). */
export function fixedSize(bytes: Uint8Array, size: number): Buffer[] {
  const buffer = Buffer.from(bytes);
  const chunks: Buffer[] = [];
  for (let start = 0; start < buffer.length; start += size) chunks.push(buffer.subarray(start, start + size));
  return chunks;
}
