/** Validates `startOllamaSim` options (a TypeError naming the option and value) and fills defaults. */

import { defaultScript } from './default-script.js';
import { validateFaultRule } from './faults.js';
import { DurationSyntaxError, parseDefaultKeepAlive } from './keep-alive.js';
import {
  canonicalName,
  DEFAULT_MODELS,
  KNOWN_CAPABILITIES,
  type ResolvedModel,
  resolveModel,
} from './model-catalog.js';
import { PROFILE_NAMES, PROFILES } from './profiles.js';
import { TEMPLATE_NAMES } from './template/templates.js';
import type {
  FaultRule,
  LatencyModel,
  OllamaSimOptions,
  Script,
  SimModelConfig,
  TemplateName,
} from './types.js';

export interface ResolvedOptions {
  port: number;
  host: string;
  models: ResolvedModel[];
  maxQueue: number;
  keepAliveMs: number;
  preload: string[];
  script: Script;
  faults: FaultRule[];
  version: string;
  maxBodyBytes: number;
  signal: AbortSignal | undefined;
}

const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

const OPTION_KEYS: ReadonlyArray<keyof OllamaSimOptions> = [
  'port',
  'host',
  'profile',
  'latency',
  'models',
  'parallel',
  'maxQueue',
  'keepAlive',
  'preload',
  'embeddingDimensions',
  'script',
  'faults',
  'version',
  'maxBodyBytes',
  'signal',
];

const MODEL_KEYS: ReadonlyArray<keyof SimModelConfig> = [
  'name',
  'family',
  'parameterSize',
  'quantizationLevel',
  'capabilities',
  'embeddingDimensions',
  'latency',
  'parallel',
  'answerTokens',
  'template',
];

/** A TypeError naming the first key of `object` that is not one of `known`. */
export function rejectUnknownKeys(object: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new TypeError(`Unknown option \`${where}${key}\`; expected one of ${known.join(', ')}`);
    }
  }
}

function integer(name: string, value: unknown, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new TypeError(`Expected \`${name}\` to be an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value as number;
}

const LATENCY_KEYS: Array<keyof LatencyModel> = [
  'loadMs',
  'promptTokensPerSecond',
  'tokensPerSecond',
  'overheadMs',
  'embedMsPerInput',
];

function latency(name: string, value: unknown): Partial<LatencyModel> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${show(value)}`);
  }
  const record = value as Record<string, unknown>;
  rejectUnknownKeys(record, LATENCY_KEYS, `${name}.`);
  for (const key of Object.keys(record)) {
    const number = record[key];
    const isSpeed = key.endsWith('PerSecond');
    const valid =
      typeof number === 'number' && (isSpeed ? number > 0 : Number.isFinite(number) && number >= 0);
    if (!valid) {
      throw new TypeError(
        `Expected \`${name}.${key}\` to be ${isSpeed ? 'a number above 0 (Infinity allowed)' : 'a finite number >= 0'}, got ${show(number)}`,
      );
    }
  }
  return record as Partial<LatencyModel>;
}

export function resolveOptions(options: OllamaSimOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`Expected options to be an object, got ${show(options)}`);
  }
  rejectUnknownKeys(options, OPTION_KEYS, '');
  const port = integer('port', options.port ?? 0, 0, 65535);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '')
    throw new TypeError(`Expected \`host\` to be a non-empty string, got ${show(host)}`);
  const profileName = options.profile ?? 'fast';
  const profile = PROFILES[profileName];
  if (!PROFILE_NAMES.includes(profileName) || profile === undefined) {
    throw new TypeError(
      `Expected \`profile\` to be one of ${PROFILE_NAMES.join(', ')}, got ${show(profileName)}`,
    );
  }
  const overrides = latency('latency', options.latency);
  const { loadMs, promptTokensPerSecond, tokensPerSecond, overheadMs, embedMsPerInput } = profile;
  const profileLatency: LatencyModel = {
    loadMs,
    promptTokensPerSecond,
    tokensPerSecond,
    overheadMs,
    embedMsPerInput,
  };
  const parallel = integer('parallel', options.parallel ?? 1, 1, 1024);
  const maxQueue = integer('maxQueue', options.maxQueue ?? 512, 0, 1_000_000);
  const embeddingDimensions = integer('embeddingDimensions', options.embeddingDimensions ?? 768, 1, 65536);
  let keepAliveMs: number;
  try {
    keepAliveMs = parseDefaultKeepAlive(options.keepAlive ?? '5m');
  } catch (error) {
    if (!(error instanceof DurationSyntaxError)) throw error;
    throw new TypeError(`Invalid \`keepAlive\` ${show(options.keepAlive)}: ${error.message}`, {
      cause: error,
    });
  }
  const modelConfigs = options.models ?? DEFAULT_MODELS;
  if (!Array.isArray(modelConfigs) || modelConfigs.length === 0) {
    throw new TypeError(`Expected \`models\` to be a non-empty array, got ${show(modelConfigs)}`);
  }
  const models = modelConfigs.map((config, index) => {
    const where = `models[${index}]`;
    if (
      config === null ||
      typeof config !== 'object' ||
      typeof config.name !== 'string' ||
      config.name === ''
    ) {
      throw new TypeError(`Expected \`${where}.name\` to be a non-empty string, got ${show(config?.name)}`);
    }
    rejectUnknownKeys(config, MODEL_KEYS, `${where}.`);
    if (config.template !== undefined && !TEMPLATE_NAMES.includes(config.template as TemplateName)) {
      throw new TypeError(
        `Expected \`${where}.template\` to be one of ${TEMPLATE_NAMES.join(', ')}, got ${show(config.template)}`,
      );
    }
    const capabilities = config.capabilities ?? [];
    if (!Array.isArray(capabilities) || capabilities.some((c) => !KNOWN_CAPABILITIES.includes(c))) {
      throw new TypeError(
        `Expected \`${where}.capabilities\` to list some of ${KNOWN_CAPABILITIES.join(', ')}, got ${show(capabilities)}`,
      );
    }
    if (config.parallel !== undefined) integer(`${where}.parallel`, config.parallel, 1, 1024);
    if (config.answerTokens !== undefined) integer(`${where}.answerTokens`, config.answerTokens, 1, 100_000);
    if (config.embeddingDimensions !== undefined) {
      integer(`${where}.embeddingDimensions`, config.embeddingDimensions, 1, 65536);
    }
    latency(`${where}.latency`, config.latency);
    return resolveModel(config, {
      profile: profileLatency,
      overrides,
      parallel,
      answerTokens: profile.answerTokens,
      embeddingDimensions,
    });
  });
  const names = new Set<string>();
  for (const model of models) {
    if (names.has(model.name)) throw new TypeError(`Duplicate model name ${show(model.name)} in \`models\``);
    names.add(model.name);
  }
  const preload = options.preload ?? [];
  if (!Array.isArray(preload))
    throw new TypeError(`Expected \`preload\` to be an array of model names, got ${show(preload)}`);
  for (const name of preload) {
    if (typeof name !== 'string' || !names.has(canonicalName(name))) {
      throw new TypeError(`Expected \`preload\` to name known models, got ${show(name)}`);
    }
  }
  const script = options.script ?? defaultScript;
  if (typeof script !== 'function')
    throw new TypeError(`Expected \`script\` to be a function, got ${show(script)}`);
  const faults = options.faults ?? [];
  if (!Array.isArray(faults)) throw new TypeError(`Expected \`faults\` to be an array, got ${show(faults)}`);
  const version = options.version ?? '0.33.0';
  if (typeof version !== 'string')
    throw new TypeError(`Expected \`version\` to be a string, got ${show(version)}`);
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${show(signal)}`);
  }
  return {
    port,
    host,
    models,
    maxQueue,
    keepAliveMs,
    preload: preload.map(canonicalName),
    script,
    faults: faults.map((rule, index) => validateFaultRule(rule, `faults[${index}]`)),
    version,
    maxBodyBytes: integer('maxBodyBytes', options.maxBodyBytes ?? 32 * 1024 * 1024, 1, 2 ** 31 - 1),
    signal,
  };
}
