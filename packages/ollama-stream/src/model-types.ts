import type { KeepAlive, ModelOptions } from './common-types.js';

export interface EmbedRequest {
  model: string;
  input: string | readonly string[];
  /** Cut inputs longer than the context instead of failing (Ollama's default: true). */
  truncate?: boolean;
  dimensions?: number;
  options?: ModelOptions;
  keep_alive?: KeepAlive;
}

export interface EmbedResponse {
  model: string;
  embeddings: number[][];
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
}

/** The legacy `POST /api/embeddings` request: one prompt, one vector. */
export interface EmbeddingsRequest {
  model: string;
  /** The text to embed; an empty prompt only loads the model (`embedding: []`). */
  prompt: string;
  options?: ModelOptions;
  keep_alive?: KeepAlive;
}

export interface EmbeddingsResponse {
  embedding: number[];
}

export interface ModelDetails {
  parent_model?: string;
  format?: string;
  family?: string;
  families?: string[] | null;
  parameter_size?: string;
  quantization_level?: string;
}

export interface ModelSummary {
  name: string;
  model: string;
  modified_at?: string;
  size: number;
  digest: string;
  details?: ModelDetails;
}

export interface TagsResponse {
  models: ModelSummary[];
}

export interface RunningModel extends ModelSummary {
  expires_at?: string;
  size_vram?: number;
  context_length?: number;
}

export interface PsResponse {
  models: RunningModel[];
}

export interface ShowRequest {
  model: string;
  verbose?: boolean;
}

export interface ShowResponse {
  license?: string;
  modelfile?: string;
  parameters?: string;
  template?: string;
  system?: string;
  details?: ModelDetails;
  messages?: unknown[];
  model_info?: Record<string, unknown>;
  projector_info?: Record<string, unknown>;
  tensors?: unknown[];
  /** e.g. `completion`, `tools`, `vision`, `thinking`, `embedding`. */
  capabilities?: string[];
  modified_at?: string;
}

export interface VersionResponse {
  version: string;
}
