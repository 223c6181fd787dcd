import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentMiB, startChildServer } from './child-server.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dev-kit-child-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function script(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('startChildServer', () => {
  it('resolves with the URL the process prints, and stops it', async () => {
    const file = await script(
      'server.mjs',
      `import { createServer } from 'node:http';
const server = createServer((_request, response) => response.end(process.argv[2]));
server.listen(0, '127.0.0.1', () => console.log('starting\\nhttp://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => server.close());`,
    );
    const child = await startChildServer(file, ['hello']);
    try {
      expect(child.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(child.url)).text()).toBe('hello');
      expect(residentMiB(child.pid)).toBeGreaterThan(1);
    } finally {
      await child.stop();
    }
    await expect(fetch(child.url)).rejects.toThrow();
  });

  it('rejects, saying what it printed, when the process exits first', async () => {
    const file = await script('exits.mjs', `console.log('no port today'); process.exit(3);`);
    await expect(startChildServer(file)).rejects.toThrow(
      /exited \(3\) before it printed its URL.*no port today/,
    );
  });
});
