/** The NDJSON lines and JSON bodies of `/api/chat` and `/api/generate`, in Go's field order. */
import { createdAt } from './clock.js';
import { goJson, goString } from './go-json.js';

export interface Metrics {
  totalNs: bigint;
  loadNs: bigint;
  promptEvalCount: number;
  promptEvalNs: bigint;
  evalCount: number;
  evalNs: bigint;
}

export interface ToolCallOut {
  id: string;
  function: { index: number; name: string; arguments: Record<string, unknown> };
}

export interface Output {
  content: string;
  thinking: string;
  toolCalls: ToolCallOut[];
}

/** Ollama's `Metrics`, every field `omitempty`: zeros are left out. */
export function metricsFields(metrics: Metrics): Record<string, number> {
  const fields: Record<string, number> = {};
  const put = (key: string, value: bigint | number) => {
    if (value > 0) fields[key] = Number(value);
  };
  put('total_duration', metrics.totalNs);
  put('load_duration', metrics.loadNs);
  put('prompt_eval_count', metrics.promptEvalCount);
  put('prompt_eval_duration', metrics.promptEvalNs);
  put('eval_count', metrics.evalCount);
  put('eval_duration', metrics.evalNs);
  return fields;
}

function message(output: Partial<Output>) {
  return {
    role: 'assistant',
    content: output.content ?? '',
    ...(output.thinking ? { thinking: output.thinking } : {}),
    ...(output.toolCalls && output.toolCalls.length > 0 ? { tool_calls: output.toolCalls } : {}),
  };
}

/** A streamed `/api/chat` chunk (`done: false`). `modelJson` is the model name as a JSON string. */
export function chatLine(modelJson: string, output: Partial<Output>): string {
  if (output.thinking === undefined && output.toolCalls === undefined) {
    return `{"model":${modelJson},"created_at":"${createdAt()}","message":{"role":"assistant","content":${goString(output.content ?? '')}},"done":false}`;
  }
  return `{"model":${modelJson},"created_at":"${createdAt()}","message":${goJson(message(output))},"done":false}`;
}

/** A streamed `/api/generate` chunk (`done: false`). */
export function generateLine(modelJson: string, output: Partial<Output>): string {
  const thinking = output.thinking ? `,"thinking":${goString(output.thinking)}` : '';
  const calls = output.toolCalls?.length ? `,"tool_calls":${goJson(output.toolCalls)}` : '';
  return `{"model":${modelJson},"created_at":"${createdAt()}","response":${goString(output.content ?? '')}${thinking},"done":false${calls}}`;
}

/** The last `/api/chat` object: the whole output when not streamed, empty content when streamed. */
export function chatFinal(
  model: string,
  output: Partial<Output>,
  doneReason: string,
  metrics?: Metrics,
): string {
  return goJson({
    model,
    created_at: createdAt(),
    message: message(output),
    done: true,
    done_reason: doneReason,
    ...(metrics === undefined ? {} : metricsFields(metrics)),
  });
}

/** The last `/api/generate` object. */
export function generateFinal(
  model: string,
  output: Partial<Output>,
  doneReason: string,
  metrics?: Metrics,
  context?: number[],
): string {
  return goJson({
    model,
    created_at: createdAt(),
    response: output.content ?? '',
    ...(output.thinking ? { thinking: output.thinking } : {}),
    done: true,
    done_reason: doneReason,
    ...(context && context.length > 0 ? { context } : {}),
    ...(metrics === undefined ? {} : metricsFields(metrics)),
    ...(output.toolCalls && output.toolCalls.length > 0 ? { tool_calls: output.toolCalls } : {}),
  });
}

/** Ollama's `DebugInfo`: the rendered prompt and, when there are any, how many images. */
function debugInfo(rendered: string, images: number) {
  return { rendered_template: rendered, ...(images > 0 ? { image_count: images } : {}) };
}

/** The `/api/chat` answer to `_debug_render_only`: an empty message and `_debug_info`. */
export function chatDebugBody(model: string, rendered: string, images: number): string {
  return goJson({
    model,
    created_at: createdAt(),
    message: { role: '', content: '' },
    done: false,
    _debug_info: debugInfo(rendered, images),
  });
}

/** The `/api/generate` answer to `_debug_render_only`. */
export function generateDebugBody(model: string, rendered: string, images: number): string {
  return goJson({
    model,
    created_at: createdAt(),
    response: '',
    done: false,
    _debug_info: debugInfo(rendered, images),
  });
}
