import { type OllamaDeadline, OllamaError } from './errors.js';
import type { HostRecord } from './host-pool.js';

/** A duration for a message: `250 ms`, `1.5 s`, `300 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

export interface TimeoutCase {
  deadline: OllamaDeadline;
  timeoutMs: number;
  /** Base URL of the host, or every host's when none took the call yet. */
  host: string;
  /** True once the request went out on a connection; false while it waited for one. */
  sent: boolean;
  /** The host whose pool took the request, once one did. */
  record: HostRecord | undefined;
  /** The client's `connections`. */
  connections: number;
}

/**
 * No free connection: every connection to the host is open and busy with another call, or, with
 * several hosts, the call never left the balanced pool's queue (`record` undefined): every host's were.
 */
function allBusy(record: HostRecord | undefined, connections: number): boolean {
  if (record === undefined) return true;
  const stats = record.pool?.stats;
  return stats !== undefined && stats.connected >= connections && stats.free === 0;
}

function headersMessage({ timeoutMs, host, sent, record, connections }: TimeoutCase): string {
  const within = formatMs(timeoutMs);
  if (sent) {
    return (
      `Ollama at ${host} did not start answering within ${within}. A model load or a long prompt can ` +
      'take that long on a CPU: raise `timeouts.headersMs`, or check that the model loads'
    );
  }
  if (allBusy(record, connections)) {
    const all = record === undefined ? `${connections} per host` : String(connections);
    return (
      `The call waited ${within} for a connection to Ollama at ${host} and got none: all ${all} ` +
      'were busy with other calls. Raise `connections` if Ollama can take more calls at once, or `timeouts.headersMs`'
    );
  }
  return `Could not connect to Ollama at ${host} within ${within}; check that it is running and reachable`;
}

/**
 * The OLLAMA_TIMEOUT error for a deadline that passed, in words: what did not happen in time, and
 * which option to raise.
 */
export function timeoutError(timeout: TimeoutCase): OllamaError {
  const { deadline, timeoutMs, host } = timeout;
  const within = formatMs(timeoutMs);
  let message: string;
  if (deadline === 'headersMs') {
    message = headersMessage(timeout);
  } else if (deadline === 'idleMs') {
    message =
      `Ollama at ${host} sent nothing for ${within} in the middle of its answer. Raise \`timeouts.idleMs\` ` +
      'if the model is that slow (Ollama sends a tool call only once it is complete), or check that Ollama still runs';
  } else {
    message = `The call to Ollama at ${host} did not end within ${within}; raise \`timeouts.totalMs\``;
  }
  return new OllamaError('OLLAMA_TIMEOUT', message, { deadline, timeoutMs, host });
}
