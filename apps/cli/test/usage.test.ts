import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI } from './cli-path.js';
import { cliEnv, HAS_SCRIPT, runCli, useHome } from './helpers.js';

const home = useHome();

const run = (...args: string[]) => runCli(args, { env: cliEnv(home.dir) });
const COMMANDS = ['chat', 'remember', 'recall', 'forget', 'bench', 'sim'];

describe('conventions', () => {
  it('--version prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      const result = await run(flag);
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('--help lists every command on stdout', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('every command has --help, and `lunar help <command>` says the same', async () => {
    const results = await Promise.all(COMMANDS.map((command) => run(command, '--help')));
    results.forEach((result, index) => {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: lunar ${COMMANDS[index]}\\b`));
      expect(result.stdout).toContain('-h, --help');
    });
    const viaHelp = await run('help', 'bench');
    expect(viaHelp.stdout).toBe(results[COMMANDS.indexOf('bench')]!.stdout);
  });

  it('no command, or an unknown one, exits 2 with the usage on stderr', async () => {
    const none = await run();
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toMatch(/^Usage: lunar <command>/);
    const unknown = await run('chatter');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "chatter"');
    expect(unknown.stderr).toContain('Usage: lunar <command>');
  });

  it.each([
    [['chat', '--bogus', 'hi'], "Unknown option '--bogus'"],
    [['chat', '--temperature', 'hot', 'hi'], '--temperature expects a number from 0 to 2, got "hot"'],
    [['chat', '--model'], "Option '--model <value>' argument missing"],
    [['chat', ''], 'the message is empty'],
    [['bench', '--turns', '0'], '--turns expects an integer from 1 to 50, got "0"'],
    [['bench', '--profile', 'tpu'], '--profile expects one of seed, gpu, cpu, fast, got "tpu"'],
    [
      ['bench', '--each-optimization', '--no-each-optimization'],
      '--each-optimization and --no-each-optimization cannot be used together',
    ],
    [
      ['bench', '--switches', '--no-switches'],
      '--each-optimization and --no-each-optimization cannot be used together',
    ],
    [
      ['chat', '--ollama-host', 'http://a:1', '--host', 'http://b:1', 'hi'],
      '--ollama-host and --host are the same flag',
    ],
    [['recall', '--ollama-host', 'ftp://a', 'x'], '--ollama-host'],
    [['bench', 'extra'], "Unexpected argument 'extra'"],
    [['sim', '--port', '70000'], '--port expects an integer from 0 to 65535, got "70000"'],
    [['remember'], 'remember needs the text to store'],
    [['recall', '--k', '0', 'x'], '--k expects an integer from 1 to 100, got "0"'],
    [['forget'], 'forget takes exactly one memory id'],
  ])('lunar %j exits 2 with the message and the usage', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(`Usage: lunar ${args[0]}`);
  });

  it.skipIf(!HAS_SCRIPT)('colours on a terminal only, and never under NO_COLOR', async () => {
    // `script` runs the CLI on a pseudo-terminal, so stderr is a TTY.
    const onTerminal = (env: NodeJS.ProcessEnv) =>
      runCli(['-qec', `"${process.execPath}" "${CLI}" chat --bogus`, '/dev/null'], {
        env,
        command: 'script',
      });
    const coloured = await onTerminal(cliEnv(home.dir, { NO_COLOR: '' }));
    expect(coloured.stdout).toContain('\u001b[31mlunar chat: Unknown option');
    const plain = await onTerminal(cliEnv(home.dir, { NO_COLOR: '1' }));
    expect(plain.stdout).toContain('lunar chat: Unknown option');
    expect(plain.stdout).not.toContain('\u001b[');
    const piped = await runCli(['chat', '--bogus'], { env: cliEnv(home.dir, { NO_COLOR: '' }) });
    expect(piped.stderr).not.toContain('\u001b[');
  });
});
