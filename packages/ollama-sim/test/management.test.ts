import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { get, last, lines, post, startSim } from './helpers.js';

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('model management', () => {
  it('streams a pull as Ollama does: manifest, each layer with its progress, verify, write, success', async () => {
    const sim = await startSim({ profile: 'fast' });
    const answer = await post(sim, '/api/pull', { model: 'llama3.2:3b' });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/x-ndjson');
    const progress = lines(answer.text);
    expect(progress[0]).toEqual({ status: 'pulling manifest' });
    const weights = progress.filter((line) => line.total !== undefined && (line.total as number) > 1e9);
    expect(weights.length).toBeGreaterThanOrEqual(1);
    expect(last(weights)).toMatchObject({
      status: expect.stringMatching(/^pulling [0-9a-f]{12}$/),
      completed: last(weights).total,
    });
    expect(String(last(weights).digest)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(progress.slice(-3)).toEqual([
      { status: 'verifying sha256 digest' },
      { status: 'writing manifest' },
      { status: 'success' },
    ]);
    // `stream: false`: one JSON object, the last progress.
    const whole = await post(sim, '/api/pull', { model: 'llama3.2:3b', stream: false });
    expect(whole.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(whole.text)).toEqual({ status: 'success' });
  });

  it("downloads a model that is not there at the profile's pace, reporting every 60 ms while it moves", async () => {
    const sim = await startSim({
      profile: 'gpu',
      models: [{ name: 'tiny:1m', parameterSize: '60M', quantizationLevel: 'Q4_K_M' }],
    });
    const present = lines((await post(sim, '/api/pull', { model: 'tiny:1m' })).text);
    // Already there: each layer is reported once, whole.
    expect(present.filter((line) => line.total === 36_375_000)).toEqual([
      expect.objectContaining({ completed: 36_375_000 }),
    ]);
    await fetch(`${sim.url}/api/delete`, { method: 'DELETE', body: JSON.stringify({ model: 'tiny:1m' }) });
    const progress = lines((await post(sim, '/api/pull', { model: 'tiny:1m' })).text);
    const weights = progress.filter((line) => line.total === 36_375_000);
    // 36 MB at 125 MB/s take about 290 ms: several reports, growing, the last one whole.
    expect(weights.length).toBeGreaterThan(2);
    const completed = weights.map((line) => (line.completed as number | undefined) ?? 0);
    expect(completed).toEqual([...completed].sort((a, b) => a - b));
    expect(last(weights).completed).toBe(36_375_000);
  });

  it('answers a pull of an unknown model with an error line after the manifest, status 200', async () => {
    const sim = await startSim({ profile: 'fast' });
    const answer = await post(sim, '/api/pull', { model: 'nope:1b' });
    expect(answer.status).toBe(200);
    expect(lines(answer.text)).toEqual([
      { status: 'pulling manifest' },
      { error: 'pull model manifest: file does not exist' },
    ]);
    expect((await post(sim, '/api/pull', { model: 'nope:1b', stream: false })).status).toBe(500);
    expect(await post(sim, '/api/pull', { model: 'bad name!' })).toMatchObject({
      status: 400,
      text: '{"error":"invalid model name"}',
    });
  });

  it('copies, lists and deletes names with empty 200s, 404 for unknown ones, 405 for a POST delete', async () => {
    const sim = await startSim({ profile: 'fast' });
    const copy = await post(sim, '/api/copy', { source: 'llama3.2:3b', destination: 'mine:latest' });
    expect(copy).toMatchObject({ status: 200, text: '' });
    expect(await post(sim, '/api/copy', { source: 'nope', destination: 'x' })).toMatchObject({
      status: 404,
      text: '{"error":"model \\"nope\\" not found"}',
    });
    const remove = (model: string) =>
      fetch(`${sim.url}/api/delete`, { method: 'DELETE', body: JSON.stringify({ model }) });
    expect((await remove('mine')).status).toBe(200);
    const again = await remove('mine');
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ error: "model 'mine' not found" });
    const wrongMethod = await post(sim, '/api/delete', { model: 'llama3.2:3b' });
    expect(wrongMethod).toMatchObject({ status: 405, text: '405 method not allowed' });
    const headPs = await fetch(`${sim.url}/api/ps`, { method: 'HEAD' });
    expect(headPs.status).toBe(405);
    expect(headPs.headers.get('allow')).toBe('GET');
    expect((await get(sim, '/api/nothing')).status).toBe(404);
  });

  it('creates a model from another or from uploaded blobs, with its progress', async () => {
    const sim = await startSim({ profile: 'fast' });
    const created = lines(
      (await post(sim, '/api/create', { model: 'mario', from: 'llama3.2:3b', system: 'You are Mario.' }))
        .text,
    );
    expect(created[0]!.status).toMatch(/^using existing layer sha256:/);
    expect(created.slice(-2)).toEqual([{ status: 'writing manifest' }, { status: 'success' }]);
    expect((await post(sim, '/api/create', { model: 'x' })).status).toBe(400);
    const blob = Buffer.from('gguf weights');
    const missing = await post(sim, '/api/create', { model: 'y', files: { 'w.gguf': sha256(blob) } });
    expect(missing.status).toBe(400);
    await fetch(`${sim.url}/api/blobs/${sha256(blob)}`, { method: 'POST', body: blob });
    const fromFiles = await post(sim, '/api/create', {
      model: 'y',
      files: { 'w.gguf': sha256(blob) },
      stream: false,
    });
    expect(JSON.parse(fromFiles.text)).toEqual({ status: 'success' });
  });
});

describe('blobs', () => {
  it('checks the digest of an upload as it streams: 201 once, 200 when there already, 400 on a mismatch', async () => {
    const sim = await startSim({ profile: 'fast' });
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    const digest = sha256(bytes);
    expect((await fetch(`${sim.url}/api/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
    const upload = await fetch(`${sim.url}/api/blobs/${digest}`, { method: 'POST', body: bytes });
    expect(upload.status).toBe(201);
    expect((await fetch(`${sim.url}/api/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${sim.url}/api/blobs/${digest}`, { method: 'POST', body: bytes })).status).toBe(200);
    const other = sha256(Buffer.from('other'));
    const mismatch = await fetch(`${sim.url}/api/blobs/${other}`, { method: 'POST', body: bytes });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toEqual({ error: `digest mismatch, expected "${other}", got "${digest}"` });
    const invalid = await fetch(`${sim.url}/api/blobs/sha256:xyz`, { method: 'POST', body: 'x' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ error: 'invalid digest format' });
    expect((await fetch(`${sim.url}/api/blobs/${digest}`)).status).toBe(405);
  });
});

describe('CORS', () => {
  it('answers like Ollama with OLLAMA_ORIGINS unset: local pages allowed, others 403', async () => {
    const sim = await startSim({ profile: 'fast' });
    const preflight = await fetch(`${sim.url}/api/chat`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-max-age')).toBe('43200');
    const refused = await fetch(`${sim.url}/api/tags`, { headers: { origin: 'https://attacker.example' } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('');
    const allowed = await fetch(`${sim.url}/api/tags`, { headers: { origin: 'http://127.0.0.1:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(allowed.headers.get('vary')).toBe('Origin');
  });
});
