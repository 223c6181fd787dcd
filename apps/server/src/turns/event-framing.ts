import type { AgentEvent } from '@lunar/agent';

/** One Server-Sent Event: its `event:` line is the agent event's type, `data:` the event as JSON. */
export function sseFrame(event: AgentEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** One NDJSON line: the agent event as JSON. */
export function ndjsonLine(event: AgentEvent): string {
  return `${JSON.stringify(event)}\n`;
}
