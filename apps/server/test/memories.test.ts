import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, postJson, startHarness } from './helpers.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness.close();
});

const memories = `/v1/memories`;

describe('/v1/memories', () => {
  it('adds, lists, searches and deletes memories', async () => {
    const added = await postJson(`${harness.url}${memories}`, {
      text: 'The user lives in Lisbon.',
      scope: 'alice',
    });
    expect(added.status).toBe(201);
    const memory = (await added.json()) as { id: string; text: string; scope: string };
    expect(memory).toMatchObject({
      id: expect.stringMatching(/^mem_\d+$/),
      text: 'The user lives in Lisbon.',
      scope: 'alice',
    });
    expect(added.headers.get('location')).toBe(`/v1/memories/${memory.id}`);
    await postJson(`${harness.url}${memories}`, {
      text: 'The user has a cat named Miso.',
      metadata: { source: 'chat' },
    });

    const list = (await (await fetch(`${harness.url}${memories}`)).json()) as {
      memories: unknown[];
      total: number;
    };
    expect(list.total).toBe(2);
    expect(list.memories).toHaveLength(2);
    const emptyQuery = (await (await fetch(`${harness.url}${memories}?query=&k=`)).json()) as {
      total: number;
    };
    expect(emptyQuery.total).toBe(2);
    const scoped = (await (await fetch(`${harness.url}${memories}?scope=alice`)).json()) as {
      memories: unknown[];
    };
    expect(scoped.memories).toEqual([expect.objectContaining({ id: memory.id })]);

    const search = await fetch(
      `${harness.url}${memories}?query=${encodeURIComponent('Where does the user live?')}&k=1`,
    );
    const found = (await search.json()) as { memories: Array<{ id: string; score: number }> };
    expect(found.memories).toHaveLength(1);
    expect(found.memories[0]).toMatchObject({ id: memory.id, score: expect.any(Number) });

    const deleted = await fetch(`${harness.url}${memories}/${memory.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const again = await fetch(`${harness.url}${memories}/${memory.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: 'not-found' });
  });

  it('refuses bad input with 400 naming the field', async () => {
    const empty = await postJson(`${harness.url}${memories}`, { text: '' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ code: 'invalid-request', issues: [{ path: 'text' }] });
    const badK = await fetch(`${harness.url}${memories}?query=x&k=0`);
    expect(badK.status).toBe(400);
    expect(await badK.json()).toMatchObject({ issues: [{ path: 'k' }] });
    const badId = await fetch(`${harness.url}${memories}/not-an-id`, { method: 'DELETE' });
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({
      code: 'MEMORY_INVALID_INPUT',
      error: expect.stringContaining('mem_42'),
    });
  });

  it('gives the agent the memories: a turn recalls what was stored', async () => {
    await postJson(`${harness.url}${memories}`, { text: 'The project codename is Bluebird.' });
    const response = await postJson(`${harness.url}/v1/turns`, {
      message: 'What is the project codename?',
      stream: false,
    });
    const body = (await response.json()) as {
      profile: { stages: Array<{ name: string; detail?: { results?: number } }> };
    };
    const search = body.profile.stages.find((stage) => stage.name === 'memory-search')!;
    expect(search.detail?.results).toBeGreaterThan(0);
  });
});
