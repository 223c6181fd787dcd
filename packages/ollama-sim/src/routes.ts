/** The route table: path -> method -> handler. Anything else is Ollama's (gin's) 404. */

import { MANAGEMENT_ROUTES } from './management/routes.js';
import { OPENAI_ROUTES } from './openai/routes.js';
import { handleChat } from './route-chat.js';
import { handleEmbed, handleEmbeddings } from './route-embed.js';
import { handleGenerate } from './route-generate.js';
import { handlePs, handleRoot, handleShow, handleTags, handleVersion } from './route-info.js';
import type { RequestContext } from './sim-state.js';

export type Handler = (context: RequestContext) => Promise<void>;

export const ROUTES: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  '/': { GET: handleRoot, HEAD: handleRoot },
  '/api/version': { GET: handleVersion, HEAD: handleVersion },
  '/api/tags': { GET: handleTags, HEAD: handleTags },
  '/api/ps': { GET: handlePs },
  '/api/show': { POST: handleShow },
  '/api/generate': { POST: handleGenerate },
  '/api/chat': { POST: handleChat },
  '/api/embed': { POST: handleEmbed },
  '/api/embeddings': { POST: handleEmbeddings },
  ...MANAGEMENT_ROUTES,
  ...OPENAI_ROUTES,
};

/** The stats key of a path: the route itself, or `other`. */
export function routeKey(path: string): string {
  return Object.hasOwn(ROUTES, path) ? path : 'other';
}
