/** Parses `lunar-ollama-sim` arguments. Bad flags throw a UsageError (exit code 2). */
import { PROFILE_NAMES } from './profiles.js';
import type { OllamaSimOptions, ProfileName } from './types.js';

export const USAGE = `Usage: lunar-ollama-sim [options]

An Ollama-compatible server with a latency model and a scripted model.

Options:
  --port <n>         port to listen on (default 11434; 0 picks a free one)
  --host <h>         address to listen on (default 127.0.0.1)
  --profile <name>   latency profile: ${PROFILE_NAMES.join(', ')} (default seed)
  --parallel <n>     parallel slots per model, like OLLAMA_NUM_PARALLEL (default 1)
  --max-queue <n>    requests allowed to wait, like OLLAMA_MAX_QUEUE (default 512)
  --keep-alive <d>   default keep_alive, like OLLAMA_KEEP_ALIVE (default 5m)
  --preload <model>  load a model at start (repeatable)
  -h, --help         show this help
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export type CliCommand = { help: true } | { help: false; options: OllamaSimOptions };

function integerFlag(flag: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`${flag} expects an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const options: OllamaSimOptions & { preload: string[] } = { port: 11434, profile: 'seed', preload: [] };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '-h' || argument === '--help') return { help: true };
    const [flag, inline] =
      argument.startsWith('--') && argument.includes('=') ? argument.split(/=(.*)/s, 2) : [argument];
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const value = argv[++index];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} expects a value`);
      return value;
    };
    switch (flag) {
      case '--port':
        options.port = integerFlag('--port', takeValue(), 0, 65535);
        break;
      case '--host':
        options.host = takeValue();
        break;
      case '--profile': {
        const profile = takeValue();
        if (!PROFILE_NAMES.includes(profile as ProfileName)) {
          throw new UsageError(
            `--profile expects one of ${PROFILE_NAMES.join(', ')}, got ${JSON.stringify(profile)}`,
          );
        }
        options.profile = profile as ProfileName;
        break;
      }
      case '--parallel':
        options.parallel = integerFlag('--parallel', takeValue(), 1, 1024);
        break;
      case '--max-queue':
        options.maxQueue = integerFlag('--max-queue', takeValue(), 0, 1_000_000);
        break;
      case '--keep-alive':
        options.keepAlive = takeValue();
        break;
      case '--preload':
        options.preload.push(takeValue());
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(argument)}`);
    }
  }
  return { help: false, options };
}
