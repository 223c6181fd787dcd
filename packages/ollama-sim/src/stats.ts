/** The simulator's counters. Live values (open connections, queued…) are read when asked. */
export class StatsCounter {
  requests: Record<string, number> = {};
  connectionsOpened = 0;
  modelLoads = 0;
  tokensGenerated = 0;
  promptTokensEvaluated = 0;
  promptTokensCached = 0;
  promptCacheRestores = 0;
  clientDisconnects = 0;
  rejectedBusy = 0;
  /** Live: generations running or waiting now (not reset). */
  generationsInFlight = 0;

  countRequest(route: string): void {
    this.requests[route] = (this.requests[route] ?? 0) + 1;
  }

  reset(): void {
    this.requests = {};
    this.connectionsOpened = 0;
    this.modelLoads = 0;
    this.tokensGenerated = 0;
    this.promptTokensEvaluated = 0;
    this.promptTokensCached = 0;
    this.promptCacheRestores = 0;
    this.clientDisconnects = 0;
    this.rejectedBusy = 0;
  }
}

/** Requests waiting for a slot, across models, against the `maxQueue` limit. */
export class WaitQueue {
  queued = 0;
  constructor(readonly maxQueue: number) {}

  get full(): boolean {
    return this.queued >= this.maxQueue;
  }
}
