import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * At most this much of the grace period is kept, after the requests still running are aborted, for
 * them to end on their own (a turn sends its last event) before every connection is closed.
 */
const ABORT_WAIT_MS = 1_000;

/**
 * A server's close within a grace period, whatever its clients do. Tracks every client connection
 * (also one Node no longer counts as a request's, such as an answer sent while its request's body
 * was still arriving), so the last ones can be closed when the grace period ends.
 */
export class GracefulClose {
  readonly #sockets = new Set<Socket>();
  #cut = false;

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** True once the grace period has ended with connections open: their answers were cut, not left by their clients. */
  get cut(): boolean {
    return this.#cut;
  }

  /**
   * Stops accepting connections and waits for the requests in flight; near the end of `graceMs`
   * (its last quarter, at most the last second) calls `abort`, and at its end closes every
   * connection left. Resolves once fastify has closed, within `graceMs`.
   */
  async close(app: FastifyInstance, graceMs: number, abort: () => void): Promise<void> {
    // Connections that go idle while draining are closed at once instead of at their keep-alive end.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    const timers: NodeJS.Timeout[] = [];
    const expiry = (ms: number) =>
      new Promise<'expired'>((resolve) => {
        timers.push(setTimeout(resolve, ms, 'expired'));
      });
    try {
      const closed = app.close();
      const abortWait = Math.min(ABORT_WAIT_MS, Math.floor(graceMs / 4));
      if ((await Promise.race([closed, expiry(graceMs - abortWait)])) !== 'expired') return;
      abort();
      if ((await Promise.race([closed, expiry(abortWait)])) !== 'expired') return;
      this.#cut = true;
      for (const socket of this.#sockets) socket.destroy();
      await closed;
    } finally {
      for (const timer of timers) clearTimeout(timer);
      clearInterval(sweep);
    }
  }
}
