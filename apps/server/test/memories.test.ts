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
    expect(await again.json()).toMatchObject({ code: 'SERVER_NOT_FOUND' });
  });

  it('refuses bad input with 400 naming the field', async () => {
    const empty = await postJson(`${harness.url}${memories}`, { text: '' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ code: 'SERVER_INVALID_REQUEST', issues: [{ path: 'text' }] });
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

describe('the memory scope of turns', () => {
  type Turn = {
    toolResults: Array<{ name: string; ok: boolean }>;
    profile: { stages: Array<{ name: string; detail?: { results?: number } }> };
  };
  const ask = async (url: string, message: string) =>
    (await (await postJson(`${url}/v1/turns`, { message, stream: false })).json()) as Turn;
  const found = (turn: Turn) => turn.profile.stages.find((stage) => stage.name === 'memory-search')!.detail;

  it('turns search and remember in memoryScope only; another scope is a store area they do not read', async () => {
    const scoped = await startHarness({ memoryScope: 'team-a' });
    try {
      const add = (text: string, scope?: string) =>
        postJson(`${scoped.url}/v1/memories`, { text, ...(scope === undefined ? {} : { scope }) });
      expect((await add('The release train leaves on Thursday.', 'alice')).status).toBe(201);
      expect((await add('The release train is named Comet.')).status).toBe(201);
      expect(found(await ask(scoped.url, 'When does the release train leave?'))?.results).toBe(0);

      expect((await add('The release train waits at platform 9.', 'team-a')).status).toBe(201);
      expect(found(await ask(scoped.url, 'Where does the release train wait?'))?.results).toBe(1);

      const remembered = await ask(scoped.url, 'Remember "The standup moved to 10:30."');
      expect(remembered.toolResults).toMatchObject([{ name: 'remember', ok: true }]);
      const teamA = (await (await fetch(`${scoped.url}/v1/memories?scope=team-a`)).json()) as {
        memories: Array<{ text: string; scope: string }>;
      };
      expect(teamA.memories.map((memory) => memory.text)).toContain('The standup moved to 10:30.');
      expect(teamA.memories.every((memory) => memory.scope === 'team-a')).toBe(true);
    } finally {
      await scoped.close();
    }
  });
});
