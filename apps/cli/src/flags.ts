import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './cli-error.js';

/** True when the arguments ask for help (before any `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** Strict `parseArgs`: an unknown flag, a missing value or a stray argument is a UsageError. */
type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>
>;

export function parseFlags<T extends OptionsConfig>(
  args: readonly string[],
  options: T,
  allowPositionals: boolean,
): Parsed<T> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('. ')[0]! : String(error);
    throw new UsageError(message);
  }
}

function boundedNumber(
  flag: string,
  value: string | undefined,
  fallback: number,
  [min, max]: readonly [number, number],
  integer: boolean,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  const wellFormed = integer ? /^\d+$/.test(value) : value.trim() !== '' && Number.isFinite(number);
  if (!wellFormed || number < min || number > max) {
    const kind = integer ? 'an integer' : 'a number';
    throw new UsageError(`${flag} expects ${kind} from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** An integer flag within bounds, or its default when absent. */
export function integerFlag(
  flag: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  return boundedNumber(flag, value, fallback, [min, max], true);
}

/** A number flag within bounds, or its default when absent. */
export function numberFlag(
  flag: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  return boundedNumber(flag, value, fallback, [min, max], false);
}

/** One of a fixed set of values, or its default when absent. */
export function choiceFlag<T extends string>(
  flag: string,
  value: string | undefined,
  fallback: T,
  choices: readonly T[],
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) {
    throw new UsageError(`${flag} expects one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}
