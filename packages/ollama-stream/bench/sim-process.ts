/**
 * Runs @lunar/ollama-sim in a child process, so the benchmark's process.cpuUsage() measures the
 * client alone. The parent sends 'stats', 'reset' or 'close' over IPC.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OllamaSimOptions, OllamaSimStats } from '@lunar/ollama-sim';

export interface SimProcess {
  url: string;
  stats(): Promise<OllamaSimStats>;
  reset(): Promise<void>;
  /** Start a second server in the child that answers every request with `body`, written at once. */
  replay(body: string): Promise<string>;
  close(): Promise<void>;
}

type Reply = { url: string } | { stats: OllamaSimStats } | { done: true };

export async function startSimProcess(options: OllamaSimOptions): Promise<SimProcess> {
  const child = fork(
    fileURLToPath(new URL('./sim-child.ts', import.meta.url)),
    [JSON.stringify(options, (_key, value) => (value === Number.POSITIVE_INFINITY ? 'Infinity' : value))],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  const replies: Array<(reply: Reply) => void> = [];
  child.on('message', (reply: Reply) => replies.shift()?.(reply));
  const ask = (message: string | { replay: string } | null) =>
    new Promise<Reply>((resolve) => {
      replies.push(resolve);
      if (message !== null) child.send(message);
    });
  const { url } = (await ask(null)) as { url: string };
  return {
    url,
    stats: async () => ((await ask('stats')) as { stats: OllamaSimStats }).stats,
    reset: async () => {
      await ask('reset');
    },
    replay: async (body) => ((await ask({ replay: body })) as { url: string }).url,
    close: async () => {
      await ask('close');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
