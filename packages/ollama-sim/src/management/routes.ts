/** The model-management routes, for the simulator's route table. */
import type { RequestContext } from '../sim-state.js';
import { handleCopy, handleCreate, handleDelete, handlePull, handlePush } from './model-routes.js';

export const MANAGEMENT_ROUTES: Readonly<
  Record<string, Readonly<Record<string, (context: RequestContext) => Promise<void>>>>
> = {
  '/api/pull': { POST: handlePull },
  '/api/push': { POST: handlePush },
  '/api/create': { POST: handleCreate },
  '/api/copy': { POST: handleCopy },
  '/api/delete': { DELETE: handleDelete },
};
