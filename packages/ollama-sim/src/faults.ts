/** Fault rules: validation, the per-request header, and the queue of programmatic rules. */
import { httpError } from './errors.js';
import type { Fault, FaultRule } from './types.js';

export const FAULT_HEADER = 'x-ollama-sim-fault';
/** At most this many programmatic rules wait at once. */
export const MAX_FAULT_RULES = 1000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

const FAULT_KEYS = ['type', 'afterChunks', 'ms', 'status', 'message'];
const RULE_KEYS = ['fault', 'route', 'times'];

/** Returns the fault, or a sentence saying what is wrong with it. */
export function checkFault(value: unknown): Fault | string {
  if (!isRecord(value)) return `a fault must be an object, got ${show(value)}`;
  const unknown = Object.keys(value).find((key) => !FAULT_KEYS.includes(key));
  if (unknown !== undefined)
    return `unknown fault key "${unknown}"; expected one of ${FAULT_KEYS.join(', ')}`;
  const { type } = value;
  const message = value.message;
  if (message !== undefined && typeof message !== 'string')
    return `fault.message must be a string, got ${show(message)}`;
  switch (type) {
    case 'error-line':
    case 'drop':
      if (!isCount(value.afterChunks)) {
        return `fault.afterChunks must be an integer >= 0 for "${type}", got ${show(value.afterChunks)}`;
      }
      return type === 'drop'
        ? { type, afterChunks: value.afterChunks }
        : { type, afterChunks: value.afterChunks, ...(message === undefined ? {} : { message }) };
    case 'stall': {
      const { ms, afterChunks } = value;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 3_600_000) {
        return `fault.ms must be a number of milliseconds from 0 to 3600000, got ${show(ms)}`;
      }
      if (afterChunks !== undefined && !isCount(afterChunks)) {
        return `fault.afterChunks must be an integer >= 0, got ${show(afterChunks)}`;
      }
      return afterChunks === undefined ? { type, ms } : { type, ms, afterChunks };
    }
    case 'status': {
      const { status } = value;
      if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599) {
        return `fault.status must be an HTTP status from 400 to 599, got ${show(status)}`;
      }
      return { type, status: status as number, ...(message === undefined ? {} : { message }) };
    }
    default:
      return `fault.type must be "error-line", "drop", "stall" or "status", got ${show(type)}`;
  }
}

/** Reads the `x-ollama-sim-fault` header; a bad header is a 400. */
export function parseFaultHeader(header: string): Fault {
  let value: unknown;
  try {
    value = JSON.parse(header);
  } catch (error) {
    throw httpError(400, `invalid ${FAULT_HEADER} header: ${(error as Error).message}`, { cause: error });
  }
  const fault = checkFault(value);
  if (typeof fault === 'string') throw httpError(400, `invalid ${FAULT_HEADER} header: ${fault}`);
  return fault;
}

/** Validates a programmatic rule; throws a TypeError naming `where` and the bad value. */
export function validateFaultRule(rule: unknown, where: string): FaultRule {
  if (!isRecord(rule)) throw new TypeError(`${where} must be a fault rule object, got ${show(rule)}`);
  const unknown = Object.keys(rule).find((key) => !RULE_KEYS.includes(key));
  if (unknown !== undefined) {
    throw new TypeError(`Unknown option \`${where}.${unknown}\`; expected one of ${RULE_KEYS.join(', ')}`);
  }
  const fault = checkFault(rule.fault);
  if (typeof fault === 'string') throw new TypeError(`${where}: ${fault}`);
  const { route, times } = rule;
  if (route !== undefined && (typeof route !== 'string' || !route.startsWith('/'))) {
    throw new TypeError(`${where}.route must be a path such as "/api/chat", got ${show(route)}`);
  }
  if (
    times !== undefined &&
    times !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(times) && (times as number) >= 1)
  ) {
    throw new TypeError(`${where}.times must be an integer >= 1 or Infinity, got ${show(times)}`);
  }
  return {
    fault,
    ...(route === undefined ? {} : { route }),
    ...(times === undefined ? {} : { times: times as number }),
  };
}

/** The programmatic rules waiting for requests, first added first used. */
export class FaultQueue {
  readonly #rules: Array<{ fault: Fault; route: string | undefined; remaining: number }> = [];

  add(rule: FaultRule): void {
    if (this.#rules.length >= MAX_FAULT_RULES) {
      throw new RangeError(
        `at most ${MAX_FAULT_RULES} fault rules can wait at once; call clearFaults() first`,
      );
    }
    this.#rules.push({ fault: rule.fault, route: rule.route, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  get size(): number {
    return this.#rules.length;
  }

  /** The fault for a request to `route`, if a rule matches; uses up one of its `times`. */
  take(route: string): Fault | undefined {
    const index = this.#rules.findIndex((rule) => rule.route === undefined || rule.route === route);
    const rule = this.#rules[index];
    if (rule === undefined) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.#rules.splice(index, 1);
    return rule.fault;
  }
}
