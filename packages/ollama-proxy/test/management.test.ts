import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, ndjsonLines, postJson, startHarness } from './harness.js';

// A gpu-profile simulator: a pull of a model that is not there takes real time (36 MB at 125 MB/s).
const TINY = 'tiny:60m';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(
    {},
    {
      profile: 'gpu',
      preload: [],
      models: [{ name: TINY, parameterSize: '60M' }, { name: 'llama3.2:3b' }],
    },
  );
});

afterAll(async () => {
  await harness.close();
});

const remove = (base: string, model: string) =>
  fetch(`${base}/api/delete`, { method: 'DELETE', body: JSON.stringify({ model }) });

describe('model management through the proxy', () => {
  it('streams pull progress as the host sends it, line by line, before the pull ends', async () => {
    expect((await remove(harness.url, TINY)).status).toBe(200);
    const response = await postJson(`${harness.url}/api/pull`, { model: TINY });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(response.headers.get('x-lunar-cache')).toBe('bypass');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const first = decoder.decode((await reader.read()).value);
    // The first progress arrives while the host is still downloading.
    expect(first.startsWith('{"status":"pulling manifest"}\n')).toBe(true);
    let text = first;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const progress = ndjsonLines(text) as Array<{ status: string; completed?: number; total?: number }>;
    const weights = progress.filter((line) => line.total === 36_375_000);
    expect(weights.length).toBeGreaterThan(2);
    expect(weights.at(-1)!.completed).toBe(36_375_000);
    expect(progress.at(-1)).toEqual({ status: 'success' });
  });

  it('relays copy, delete (a DELETE with a body), errors and 405s exactly as the host answers', async () => {
    const copy = await postJson(`${harness.url}/api/copy`, { source: 'llama3.2:3b', destination: 'mine' });
    expect(copy.status).toBe(200);
    expect(await copy.text()).toBe('');
    expect((await remove(harness.url, 'mine')).status).toBe(200);
    for (const [method, path, body] of [
      ['DELETE', '/api/delete', JSON.stringify({ model: 'mine' })],
      ['POST', '/api/delete', JSON.stringify({ model: 'mine' })],
      ['HEAD', '/api/ps', undefined],
      ['GET', '/api/pull', undefined],
      ['PUT', '/api/chat', '{}'],
      ['POST', '/api/copy', JSON.stringify({ source: 'nope', destination: 'x' })],
      ['GET', '/api/nothing?x=1', undefined],
    ] as const) {
      const init = { method, ...(body === undefined ? {} : { body }) };
      const [proxied, direct] = await Promise.all([
        fetch(`${harness.url}${path}`, init),
        fetch(`${harness.sim.url}${path}`, init),
      ]);
      const route = `${method} ${path}`;
      expect(proxied.status, route).toBe(direct.status);
      expect(proxied.headers.get('content-type'), route).toBe(direct.headers.get('content-type'));
      expect(proxied.headers.get('allow'), route).toBe(direct.headers.get('allow'));
      expect(await proxied.text(), route).toBe(await direct.text());
    }
  });

  it('uploads a blob and answers HEAD for it through the proxy', async () => {
    const bytes = Buffer.alloc(256 * 1024, 9);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    expect((await fetch(`${harness.url}/api/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
    const upload = await fetch(`${harness.url}/api/blobs/${digest}`, { method: 'POST', body: bytes });
    expect(upload.status).toBe(201);
    expect((await fetch(`${harness.url}/api/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
    const created = await postJson(`${harness.url}/api/create`, {
      model: 'mine2',
      files: { 'w.gguf': digest },
    });
    expect(ndjsonLines(await created.text()).at(-1)).toEqual({ status: 'success' });
  });
});
