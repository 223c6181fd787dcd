// The body of one memory worker thread: its own connection to the memory file, serving one call at
// a time from the thread that made it (see `SqliteThreads`).
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database.js';
import { toWireError, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

const port = parentPort!;
let database: SqliteDatabase | undefined;
try {
  database = new SqliteDatabase(workerData as SqliteDatabaseOptions);
  port.postMessage({ id: 0, result: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ id: 0, error: toWireError(error) } satisfies WorkerReply);
  port.close();
}

port.on('message', (request: WorkerRequest) => {
  const opened = database!;
  if (request.method === 'close') {
    opened.close();
    port.postMessage({ id: request.id, result: undefined } satisfies WorkerReply);
    port.close();
    return;
  }
  try {
    const call = opened[request.method] as (...args: unknown[]) => unknown;
    port.postMessage({ id: request.id, result: call.apply(opened, request.args) } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ id: request.id, error: toWireError(error) } satisfies WorkerReply);
  }
});
