import { waitFor } from '@lunar/dev-kit';
import { describe, expect, it } from 'vitest';
import { cliEnv, startCli, tempDir } from './helpers.js';

describe('lunar sim', () => {
  it('serves the Ollama API in the foreground, prints its URL, and stops on Ctrl-C', async () => {
    const home = await tempDir();
    try {
      const run = startCli(['sim', '--port', '0', '--profile', 'fast'], { env: cliEnv(home.dir) });
      await waitFor(() => run.stdout().includes('\n'), {
        events: [[run.child.stdout!, 'data']],
        message: 'the URL',
      });
      const url = run.stdout().split('\n')[0]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const version = (await (await fetch(`${url}/api/version`)).json()) as { version: string };
      expect(version.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(run.stderr()).toContain('profile fast');
      run.child.kill('SIGINT');
      const result = await run.exited;
      expect(result.code).toBe(0);
    } finally {
      await home.remove();
    }
  });
});
