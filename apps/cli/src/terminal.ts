/** Where a command writes, and how: colours only on a terminal and never under NO_COLOR. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Style {
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
}

export interface Terminal {
  stdout: Output;
  stderr: Output;
  /** Styles for stderr (the only stream that gets colours). */
  style: Style;
  env: NodeJS.ProcessEnv;
}

/** True when `stream` is a terminal and neither NO_COLOR (non-empty) nor TERM=dumb says otherwise. */
export function colorEnabled(stream: Output, env: NodeJS.ProcessEnv): boolean {
  if (stream.isTTY !== true) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

export function createStyle(enabled: boolean): Style {
  return enabled
    ? { dim: wrap(2, 22), bold: wrap(1, 22), red: wrap(31, 39) }
    : { dim: plain, bold: plain, red: plain };
}

/** When the reader of stdout goes away (`lunar chat ... | head -1`), there is no one to answer: exit quietly. */
function exitOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

export function processTerminal(): Terminal {
  exitOnClosedStdout();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    style: createStyle(colorEnabled(process.stderr, process.env)),
    env: process.env,
  };
}
