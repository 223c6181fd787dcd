import type { AgentEvent } from '../agent/events.js';
import type { StageRecord } from '../profile/profile.js';

/** The event of a finished stage. */
export const stageEvent = (record: StageRecord): AgentEvent => ({ type: 'stage', stage: record });
