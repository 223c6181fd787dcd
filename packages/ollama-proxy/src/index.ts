export { isAllowedHost } from './allowed-host.js';
export { applyCors, CorsPolicy, OLLAMA_DEFAULT_ORIGINS } from './cors.js';
export { BUSY_ERROR } from './error-answer.js';
export {
  type HostAnswer,
  isOllamaProxyError,
  OllamaProxyError,
  type OllamaProxyErrorCode,
  type OllamaProxyErrorDetails,
} from './errors.js';
export { hostCheckHook, type OllamaProxyPluginOptions, ollamaProxyPlugin } from './fastify-plugin.js';
export { InFlight } from './in-flight.js';
export { DEFAULT_JSON_LIMITS, type JsonLimits, jsonLimitPassed } from './json-limits.js';
export { OllamaProxy } from './ollama-proxy.js';
export {
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_PARSED_BYTES,
  type OllamaProxyOptions,
  type ProxyCallRecord,
  type ProxyLogger,
  type ProxyObserver,
  type ProxyOperation,
  parseOrigins,
} from './options.js';
export { ResponseStream } from './response-stream.js';
