import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The longest a process may take to answer one request before it is killed (a hung framework). */
const REQUEST_TIMEOUT_MS = 180_000;

/** A message between the bench and one of its processes: a `type` and its fields. */
export interface LinkMessage {
  type: string;
  [field: string]: unknown;
}

/**
 * A process of the bench (the simulator, or one framework), driven over IPC one request at a time:
 * each request waits for the process's next message. A message `{ type: 'error', message }`
 * rejects the request; a process that exits or stays silent past the deadline rejects it too.
 */
export class ChildLink {
  readonly #child: ChildProcess;
  readonly #name: string;
  #waiting: { resolve: (message: LinkMessage) => void; reject: (error: Error) => void } | undefined;
  #exited: Error | undefined;

  private constructor(child: ChildProcess, name: string) {
    this.#child = child;
    this.#name = name;
    child.on('message', (message: LinkMessage) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting === undefined) return;
      if (message.type === 'error') waiting.reject(new Error(`${this.#name}: ${String(message.message)}`));
      else waiting.resolve(message);
    });
    child.on('exit', (code, signal) => {
      this.#exited = new Error(`${this.#name} exited (${signal ?? `code ${code}`})`);
      this.#waiting?.reject(this.#exited);
      this.#waiting = undefined;
    });
  }

  /** Starts `module` (a file next to this one) with `args`; resolves with its first message. */
  static async start(module: string, args: readonly string[], name: string) {
    const child = fork(fileURLToPath(new URL(module, import.meta.url)), args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const link = new ChildLink(child, name);
    try {
      return { link, hello: await link.#next() };
    } catch (error) {
      await link.close();
      throw error;
    }
  }

  /** Sends `message` and resolves with the process's answer. */
  request(message: LinkMessage): Promise<LinkMessage> {
    const answer = this.#next();
    this.#child.send(message);
    return answer;
  }

  /** Asks the process to close and waits for it to exit (killing it if it takes more than 5 s). */
  async close(): Promise<void> {
    if (this.#exited !== undefined || this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    if (this.#child.connected) this.#child.send({ type: 'close' });
    else this.#child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }

  #next(): Promise<LinkMessage> {
    if (this.#exited !== undefined) return Promise.reject(this.#exited);
    if (this.#waiting !== undefined)
      return Promise.reject(new Error(`${this.#name}: a request is already waiting`));
    return new Promise<LinkMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        this.#child.kill('SIGKILL');
        reject(new Error(`${this.#name} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.#waiting = {
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }
}

/**
 * For a process of the bench: answers each request from the parent with `handle`'s result, and
 * exits when the parent goes away (nothing is left running after the bench).
 */
export function serveParent(handle: (message: LinkMessage) => Promise<LinkMessage | undefined>): void {
  process.once('disconnect', () => process.exit(1));
  process.on('message', (message: LinkMessage) => {
    handle(message).then(
      (answer) => {
        if (answer !== undefined && process.connected) process.send?.(answer);
      },
      (error: unknown) => {
        const text = error instanceof Error ? error.message : String(error);
        if (process.connected) process.send?.({ type: 'error', message: text });
      },
    );
  });
}
