import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startOtlpReceiver, waitFor } from '@lunar/dev-kit';
import { startOllamaSim } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { MODEL, parseSse, postJson } from './helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  if (!existsSync(BIN))
    throw new Error('dist/bin.js is missing: run `pnpm --filter @lunar/server build` first');
  const {
    LUNAR_API_TOKEN: _token,
    OTEL_EXPORTER_OTLP_ENDPOINT: _endpoint,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: _tracesEndpoint,
    ...rest
  } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...rest, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Waits for `text` in the child's output (checked as each chunk arrives); fails if the child exits first. */
async function printed(child: ChildProcess, output: () => { stdout: string }, text: string): Promise<void> {
  await waitFor(
    () => {
      if (output().stdout.includes(text)) return true;
      if (child.exitCode !== null) throw new Error(`lunar-server exited: ${JSON.stringify(output())}`);
      return false;
    },
    {
      events: [
        [child.stdout!, 'data'],
        [child, 'exit'],
      ],
      message: `lunar-server printing ${text}`,
    },
  );
}

/** The URL from the "listening" log line (a whole line: the chunk it came in may end mid-line). */
async function listening(child: ChildProcess, output: () => { stdout: string }): Promise<string> {
  await printed(child, output, '"msg":"lunar-server listening on');
  const line = () =>
    output()
      .stdout.split('\n')
      .slice(0, -1)
      .find((entry) => entry.includes('"url"'));
  await waitFor(() => line() !== undefined, { events: [[child.stdout!, 'data']] });
  return (JSON.parse(line()!) as { url: string }).url;
}

describe('lunar-server (the built bin)', () => {
  it('drains on SIGTERM: the turn in flight completes and the process exits 0', async () => {
    const sim = await startOllamaSim({
      profile: 'fast',
      preload: [MODEL, 'nomic-embed-text'],
      latency: { tokensPerSecond: 40 },
      models: [
        { name: MODEL, answerTokens: 40 },
        { name: 'nomic-embed-text', capabilities: ['embedding'] },
      ],
    });
    const server = run(['--port', '0', '--ollama-host', sim.url, '--grace-ms', '10000']);
    try {
      const url = await listening(server.child, server.output);
      const response = await postJson(`${url}/v1/turns`, { message: 'Tell me a story.' });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('event: text-delta'))
        text += decoder.decode((await reader.read()).value, { stream: true });
      server.child.kill('SIGTERM');
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(parseSse(text).at(-1)!.event).toBe('done');
      expect(await server.exited).toEqual([0, null]);
      expect(server.output().stdout).toContain('SIGTERM: shutting down');
      expect(sim.stats().clientDisconnects).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
      await sim.close();
    }
  }, 30_000);

  it('refuses a non-loopback address without LUNAR_API_TOKEN, and exits 1', async () => {
    const server = run(['--host', '0.0.0.0', '--port', '0', '--ollama-host', 'http://127.0.0.1:9']);
    expect(await server.exited).toEqual([1, null]);
    expect(server.output().stdout).toContain('set LUNAR_API_TOKEN');
  });

  it('exits 2 with the usage on a bad flag', async () => {
    const server = run(['--port', 'eighty']);
    expect(await server.exited).toEqual([2, null]);
    expect(server.output().stderr).toContain('--port expects a whole number');
    expect(server.output().stderr).toContain('Usage: lunar-server');
  });

  it('starts with a warning when the named Ollama host does not answer, and /readyz says 503', async () => {
    const server = run(['--port', '0', '--ollama-host', 'http://127.0.0.1:9']);
    try {
      const url = await listening(server.child, server.output);
      expect(server.output().stdout).toContain(
        'no Ollama host answers yet: Cannot connect to Ollama at http://127.0.0.1:9',
      );
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(503);
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual([0, null]);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 20_000);

  it('serves with the in-process simulator when no Ollama host is named and none answers at OLLAMA_HOST', async () => {
    const server = run(['--port', '0', '--log-level', 'warn'], { OLLAMA_HOST: 'http://127.0.0.1:9' });
    try {
      await printed(server.child, server.output, 'built-in Ollama simulator');
      expect(server.output().stdout).toContain('no Ollama answered at http://127.0.0.1:9');
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual([0, null]);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 20_000);

  it('exports every turn as OpenTelemetry spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const sim = await startOllamaSim({ profile: 'fast', preload: [MODEL, 'nomic-embed-text'] });
    const receiver = await startOtlpReceiver();
    const server = run(['--port', '0', '--ollama-host', sim.url], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
    try {
      const url = await listening(server.child, server.output);
      const response = await postJson(`${url}/v1/turns`, {
        message: 'What time is it in Tokyo?',
        sessionId: 's1',
      });
      const events = parseSse(await response.text());
      expect(events.at(-1)!.event).toBe('done');
      const toolCall = events.find((event) => event.event === 'tool-call')!.data as { callId: string };
      // Shutdown flushes the spans not sent yet.
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual([0, null]);
      const spans = receiver.spans.filter((span) => span.scope === '@lunar/agent');
      const turn = spans.find((span) => span.name === 'invoke_agent')!;
      expect(turn.service).toBe('lunar-server');
      expect(turn.attributes).toMatchObject({
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.request.model': MODEL,
        'gen_ai.conversation.id': 's1',
      });
      const stages = spans.filter((span) => span.parentSpanId === turn.spanId);
      expect(stages.filter((span) => span.name === `chat ${MODEL}`)).toHaveLength(2);
      const tools = stages.find((span) => span.name === 'tools')!;
      const execute = spans.find((span) => span.name === 'execute_tool current_time')!;
      expect(execute.parentSpanId).toBe(tools.spanId);
      expect(execute.attributes['gen_ai.tool.call.id']).toBe(toolCall.callId);
    } finally {
      server.child.kill('SIGKILL');
      await receiver.close();
      await sim.close();
    }
  }, 30_000);
});
