import type { ToolContext } from './define-tool.js';

/** What a call's signal is made from. The AbortController is made only when a tool reads `signal`. */
export interface CallAbort {
  controller: AbortController | undefined;
  aborted: boolean;
  abortReason: unknown;
}

/** Abort the call's signal, or make sure it is born aborted if the tool reads it later. */
export function abortCall(call: CallAbort, reason: unknown): void {
  if (call.aborted) return;
  call.aborted = true;
  call.abortReason = reason;
  call.controller?.abort(reason);
}

/**
 * The `{ signal, callId }` a tool's `execute` gets. An AbortController costs more than the rest
 * of a call together, so a tool that never reads its signal never pays for one.
 */
export class CallContext implements ToolContext {
  readonly callId: string;
  readonly #call: CallAbort;

  constructor(call: CallAbort, callId: string) {
    this.#call = call;
    this.callId = callId;
  }

  get signal(): AbortSignal {
    const call = this.#call;
    if (call.controller === undefined) {
      call.controller = new AbortController();
      if (call.aborted) call.controller.abort(call.abortReason);
    }
    return call.controller.signal;
  }
}
