import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from './cli-args.js';

describe('parseCliArgs', () => {
  it('reads every flag, in both spellings', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--profile=gpu',
        '--parallel',
        '4',
        '--host',
        '0.0.0.0',
        '--max-queue=9',
        '--keep-alive',
        '-1',
        '--preload',
        'qwen3:8b',
      ]),
    ).toEqual({
      help: false,
      options: {
        port: 0,
        profile: 'gpu',
        parallel: 4,
        host: '0.0.0.0',
        maxQueue: 9,
        keepAlive: '-1',
        preload: ['qwen3:8b'],
      },
    });
  });

  it('defaults to port 11434 and the seed profile', () => {
    expect(parseCliArgs([])).toEqual({ help: false, options: { port: 11434, profile: 'seed', preload: [] } });
  });

  it('asks for help', () => {
    expect(parseCliArgs(['--port', '1', '-h'])).toEqual({ help: true });
  });

  it.each([
    [['--port', 'abc'], '--port expects an integer from 0 to 65535, got "abc"'],
    [['--port', '70000'], '--port expects an integer from 0 to 65535, got "70000"'],
    [['--profile', 'turbo'], '--profile expects one of fast, seed, gpu, cpu, got "turbo"'],
    [['--parallel'], '--parallel expects a value'],
    [['--verbose'], 'unknown option "--verbose"'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(new UsageError(message));
  });
});
