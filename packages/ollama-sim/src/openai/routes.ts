/** The OpenAI-compatible routes, for the simulator's route table, each answering errors in OpenAI's shape. */
import { isOllamaSimError } from '../errors.js';
import type { RequestContext } from '../sim-state.js';
import { handleChatCompletions } from './chat-completions.js';
import { handleCompletions } from './completions.js';
import { handleOpenAIEmbeddings } from './embeddings.js';
import { handleListModels, handleRetrieveModel, MODEL_PATH } from './models.js';
import { sendOpenAIError } from './openai-error.js';

type Handler = (context: RequestContext) => Promise<void>;

/** Errors before any byte of the answer go out as `{"error":{"message","type",...}}`. */
function inOpenAIShape(handler: Handler): Handler {
  return async (context) => {
    try {
      await handler(context);
    } catch (error) {
      if (!isOllamaSimError(error, 'OLLAMA_SIM_HTTP') || context.writer.res.headersSent) throw error;
      sendOpenAIError(context.writer.res, error.status ?? 500, error.message);
    }
  };
}

export const OPENAI_ROUTES: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  '/v1/chat/completions': { POST: inOpenAIShape(handleChatCompletions) },
  '/v1/completions': { POST: inOpenAIShape(handleCompletions) },
  '/v1/embeddings': { POST: inOpenAIShape(handleOpenAIEmbeddings) },
  '/v1/models': { GET: inOpenAIShape(handleListModels) },
};

/** The handler of a path with a parameter (`/v1/models/:model`), if the path and method are one. */
export function parameterRoute(method: string, path: string): Handler | undefined {
  if (method !== 'GET' || !MODEL_PATH.test(path)) return undefined;
  return inOpenAIShape((context) => handleRetrieveModel(context, path));
}
