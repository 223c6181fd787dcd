/**
 * Checks that @lunar/ollama-proxy installs and works alone from its packed tarball:
 * `pnpm pack`s it and the Lunar packages it depends on, installs the tarballs with npm into an
 * empty project in a temp folder, and runs a script there that imports the package, puts a proxy
 * in front of a small stand-in Ollama host and checks a relayed call and a cached one.
 * Run: `pnpm --filter @lunar/ollama-proxy check:pack` (needs the npm registry for undici, zod, lru-cache).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'lunar-ollama-proxy-pack-'));
const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

const CHECK = `
import { createServer } from 'node:http';
import { OllamaProxy } from '@lunar/ollama-proxy';

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve('http://127.0.0.1:' + server.address().port)));
let chats = 0;
const host = createServer((request, response) => {
  if (request.url === '/api/version') return response.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"0.33.0"}');
  request.resume();
  chats++;
  const answer = { model: 'm', created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: 'Hi!' }, done: true, done_reason: 'stop' };
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
});
const hostUrl = await listen(host);
const proxy = new OllamaProxy({ hosts: [hostUrl] });
const server = createServer(proxy.handle);
const url = await listen(server);
const version = await (await fetch(url + '/api/version')).json();
const chat = { model: 'm', messages: [{ role: 'user', content: 'Hi' }], options: { temperature: 0 }, stream: false };
const post = () => fetch(url + '/api/chat', { method: 'POST', body: JSON.stringify(chat) });
const first = await post();
const second = await post();
const results = [version.version, first.headers.get('x-lunar-cache'), second.headers.get('x-lunar-cache'), (await second.json()).message.content, chats];
server.close();
host.close();
await proxy.close();
if (JSON.stringify(results) !== JSON.stringify(['0.33.0', 'miss', 'hit', 'Hi!', 1])) {
  console.error('unexpected', results);
  process.exit(1);
}
console.log('the packed @lunar/ollama-proxy relays and caches:', results.join(', '));
`;

try {
  const tarballs = ['ollama-stream', 'llm-cache', 'ollama-proxy'].map((name) => {
    run('pnpm', ['pack', '--pack-destination', work], path.join(packages, name));
    const file = readdirSync(work).find(
      (entry) => entry.startsWith(`lunar-${name}-`) && entry.endsWith('.tgz'),
    );
    if (file === undefined) throw new Error(`pnpm pack made no tarball for @lunar/${name}`);
    return path.join(work, file);
  });
  const project = path.join(work, 'project');
  run('mkdir', ['-p', project], work);
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'check', private: true, type: 'module' }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], project);
  writeFileSync(path.join(project, 'check.mjs'), CHECK);
  process.stdout.write(run(process.execPath, ['check.mjs'], project));
} finally {
  rmSync(work, { recursive: true, force: true });
}
