/** The models a simulator knows: defaults, name matching, and derived facts (size, digest). */
import { createHash } from 'node:crypto';
import { scaleLatency, speedFactors } from './model-speeds.js';
import type { ChatTemplate } from './template/chat-template.js';
import { chatTemplate, defaultTemplateName } from './template/templates.js';
import type { LatencyModel, SimModelConfig } from './types.js';

export const DEFAULT_MODELS: readonly SimModelConfig[] = [
  {
    name: 'llama3.2:3b',
    family: 'llama',
    parameterSize: '3.2B',
    template: 'llama3.2',
    quantizationLevel: 'Q4_K_M',
    capabilities: ['completion', 'tools'],
  },
  {
    name: 'qwen3:8b',
    family: 'qwen3',
    parameterSize: '8.2B',
    template: 'qwen3',
    quantizationLevel: 'Q4_K_M',
    capabilities: ['completion', 'tools', 'thinking'],
  },
  {
    name: 'nomic-embed-text',
    family: 'nomic-bert',
    parameterSize: '137M',
    quantizationLevel: 'F16',
    capabilities: ['embedding'],
  },
];

export const KNOWN_CAPABILITIES = ['completion', 'tools', 'vision', 'thinking', 'embedding', 'insert'];

/** A model with every default filled in. */
export interface ResolvedModel {
  /** Canonical name with its tag, e.g. `llama3.2:3b`, `nomic-embed-text:latest`. */
  readonly name: string;
  readonly family: string;
  readonly parameterSize: string;
  readonly quantizationLevel: string;
  readonly capabilities: readonly string[];
  readonly embeddingDimensions: number;
  readonly latency: Readonly<LatencyModel>;
  /** The chat template (and tokenizer) its prompts are rendered with. */
  readonly template: ChatTemplate;
  readonly parallel: number;
  readonly answerTokens: number;
  /** Bytes on disk, estimated from parameters and quantisation. */
  readonly size: number;
  readonly digest: string;
  readonly parameterCount: number;
}

/** `llama3.2` -> `llama3.2:latest`; a name with a tag stays as it is. */
export function canonicalName(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? name : `${name}:latest`;
}

/** The name Ollama's capability errors use: `registry.ollama.ai/library/llama3.2:latest`. */
export function registryName(name: string): string {
  const canonical = canonicalName(name);
  return canonical.includes('/')
    ? `registry.ollama.ai/${canonical}`
    : `registry.ollama.ai/library/${canonical}`;
}

const BITS_PER_WEIGHT: Record<string, number> = {
  F32: 32,
  F16: 16,
  BF16: 16,
  Q8_0: 8.5,
  Q6_K: 6.6,
  Q5_K_M: 5.7,
};

/** `3.2B` -> 3.2e9, `137M` -> 1.37e8 (1e9 when unreadable). */
export function parameterCount(parameterSize: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMBT])?$/i.exec(parameterSize.trim());
  if (match === null) return 1e9;
  const scale: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };
  return Number(match[1]) * (scale[(match[2] ?? 'B').toUpperCase()] ?? 1e9);
}

export function resolveModel(
  config: SimModelConfig,
  defaults: {
    /** The profile's figures (llama3.2:3b's), scaled to each model. */
    profile: LatencyModel;
    /** The simulator's `latency` option: the same for every model, not scaled. */
    overrides: Partial<LatencyModel>;
    parallel: number;
    answerTokens: number;
    embeddingDimensions: number;
  },
): ResolvedModel {
  const name = canonicalName(config.name);
  const parameterSize = config.parameterSize ?? '3B';
  const quantizationLevel = config.quantizationLevel ?? 'Q4_K_M';
  const count = parameterCount(parameterSize);
  const family = config.family ?? (name.split(/[:\d.-]/)[0] || 'llama');
  const size = Math.round((count * (BITS_PER_WEIGHT[quantizationLevel.toUpperCase()] ?? 4.85)) / 8);
  const scaled = scaleLatency(
    defaults.profile,
    speedFactors(name, config.parameterSize === undefined ? undefined : { parameters: count, bytes: size }),
  );
  return {
    name,
    family,
    parameterSize,
    quantizationLevel,
    capabilities: config.capabilities ?? ['completion', 'tools'],
    embeddingDimensions: config.embeddingDimensions ?? defaults.embeddingDimensions,
    latency: { ...scaled, ...defaults.overrides, ...config.latency },
    template: chatTemplate(config.template ?? defaultTemplateName(name, family)),
    parallel: config.parallel ?? defaults.parallel,
    answerTokens: config.answerTokens ?? defaults.answerTokens,
    size,
    digest: createHash('sha256').update(`lunar-ollama-sim:${name}`).digest('hex'),
    parameterCount: Math.round(count),
  };
}

/** Finds models by the name a client sends (`llama3.2` also finds `llama3.2:latest`). */
export class ModelCatalog {
  readonly #byName = new Map<string, ResolvedModel>();

  constructor(readonly models: readonly ResolvedModel[]) {
    for (const model of models) this.#byName.set(model.name, model);
  }

  find(name: string): ResolvedModel | undefined {
    if (name === '') return undefined;
    return this.#byName.get(canonicalName(name));
  }
}
