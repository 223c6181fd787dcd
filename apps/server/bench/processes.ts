import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildServer, startChildServer } from '@lunar/dev-kit';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The simulator's own bin (`lunar-ollama-sim`) in its own process. */
export function startSimProcess(profile: string, parallel: number): Promise<ChildServer> {
  const cli = path.join(path.dirname(require.resolve('@lunar/ollama-sim')), 'cli.js');
  const args = [
    '--port',
    '0',
    '--profile',
    profile,
    '--parallel',
    String(parallel),
    '--preload',
    'llama3.2:3b',
  ];
  return startChildServer(cli, args);
}

/** The built `lunar-server` bin in its own process, in front of the Ollama hosts `ollamaHosts`, with `flags` (and Node's `nodeFlags`) added. */
export function startServerProcess(
  ollamaHosts: string | readonly string[],
  flags: string[] = [],
  nodeFlags: string[] = [],
): Promise<ChildServer> {
  const bin = path.join(here, '..', 'dist', 'bin.js');
  const hosts = (typeof ollamaHosts === 'string' ? [ollamaHosts] : ollamaHosts).flatMap((host) => [
    '--ollama-host',
    host,
  ]);
  const args = ['--port', '0', ...hosts, '--log-level', 'info', ...flags];
  return startChildServer(bin, args, {
    urlPattern: /"url":"(http:\/\/[^"]+)"/,
    nodeFlags,
    timeoutMs: 15_000,
  });
}
