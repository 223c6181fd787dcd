import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, useHome } from './helpers.js';

/** True when something accepts connections on Ollama's default address. */
function defaultPortBusy(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 11434 });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const busy = await defaultPortBusy();
const skipped = busy
  ? ' (skipped: something listens on 127.0.0.1:11434, so the CLI would use it instead of the simulator)'
  : '';

const home = useHome();

describe('no Ollama anywhere', () => {
  it.skipIf(busy)(
    `no --host, no OLLAMA_HOST: the built-in simulator answers, and stderr says so${skipped}`,
    async () => {
      const result = await runCli(['chat', 'How do tides work?'], {
        env: cliEnv(home.dir),
        timeoutMs: 40_000,
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        'No Ollama answers at http://127.0.0.1:11434, so Lunar is using its built-in simulator',
      );
      expect(result.stderr).toContain('https://ollama.com');
      expect(result.stderr).toContain('ollama pull llama3.2:3b');
      expect(result.stdout).toMatch(/^Simulated answer about .*tides/);
      // The default memory file lives in the user's data directory.
      expect(existsSync(path.join(home.dir, 'data', 'lunar', 'memory.db'))).toBe(true);
    },
  );
});
