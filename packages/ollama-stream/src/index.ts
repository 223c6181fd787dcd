export type { CacheStatus } from './cache-status.js';
export type { ChatRequest, ChatResponse, Message, Tool, ToolCall } from './chat-types.js';
export {
  type ChatStream,
  type GenerateStream,
  OllamaClient,
  type WarmupOptions,
  type WarmupResult,
} from './client.js';
export type {
  ChunkBase,
  Format,
  KeepAlive,
  Logprob,
  Metrics,
  ModelOptions,
  Think,
  TokenLogprob,
} from './common-types.js';
export {
  isOllamaError,
  type OllamaDeadline,
  OllamaError,
  type OllamaErrorCode,
  type OllamaErrorDetails,
} from './errors.js';
export type { GenerateRequest, GenerateResponse } from './generate-types.js';
export { goJson } from './go-json.js';
export type {
  EmbeddingsRequest,
  EmbeddingsResponse,
  EmbedRequest,
  EmbedResponse,
  ModelDetails,
  ModelSummary,
  PsResponse,
  RunningModel,
  ShowRequest,
  ShowResponse,
  TagsResponse,
  VersionResponse,
} from './model-types.js';
export { DEFAULT_MAX_LINE_BYTES } from './ndjson-decoder.js';
export { DEFAULT_OLLAMA_HOST, parseOllamaHost } from './ollama-host.js';
export type { OllamaStream } from './ollama-stream.js';
export {
  DEFAULT_CONNECTIONS,
  DEFAULT_TIMEOUTS,
  type OllamaClientOptions,
  type RequestOptions,
  type RetryOptions,
  type Timeouts,
} from './options.js';
export { type ParseNdjsonOptions, parseNdjson } from './parse-ndjson.js';
export type { HostProbe, ProbeOptions } from './probe.js';
export type { RawRequest, RawRequestOptions, RawResponse } from './raw-request.js';
export type { RawResponseBody } from './response-body.js';
export type { StreamTimings } from './timings.js';
export type { HostStats } from './upstreams.js';
