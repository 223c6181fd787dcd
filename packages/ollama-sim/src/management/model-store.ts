/**
 * What model management changes in a simulator: names made by copy, create or pull, names
 * deleted, and the digests of blobs uploaded. Kept beside the catalog (which chat and generate
 * read), one per simulator: a copied or created name answers the management routes and
 * `/v1/models`, it is not a new model to chat with.
 */
import { createHash } from 'node:crypto';
import { canonicalName, type ResolvedModel } from '../model-catalog.js';
import type { SimState } from '../sim-state.js';

/** Most uploaded blob digests remembered (the oldest is forgotten first); bytes are never kept. */
export const MAX_BLOBS = 10_000;

/** One layer of a model, as pull and push report it. */
export interface Layer {
  digest: string;
  size: number;
}

export class ModelStore {
  /** Names added by copy, create or pull, each pointing at the catalog model it stands for. */
  readonly #added = new Map<string, ResolvedModel>();
  /** Catalog names deleted (until pulled again). */
  readonly #deleted = new Set<string>();
  readonly #blobs = new Set<string>();

  constructor(readonly sim: SimState) {}

  /** The model a name stands for now, or undefined when there is none (never was, or deleted). */
  find(name: string): ResolvedModel | undefined {
    const canonical = canonicalName(name);
    const added = this.#added.get(canonical);
    if (added !== undefined) return added;
    if (this.#deleted.has(canonical)) return undefined;
    return this.sim.catalog.find(canonical);
  }

  /** Every name there is now, with its model. */
  list(): Array<{ name: string; model: ResolvedModel }> {
    const names = this.sim.catalog.models
      .filter((model) => !this.#deleted.has(model.name))
      .map((model) => ({ name: model.name, model }));
    for (const [name, model] of this.#added) names.push({ name, model });
    return names;
  }

  add(name: string, model: ResolvedModel): void {
    const canonical = canonicalName(name);
    this.#deleted.delete(canonical);
    if (this.sim.catalog.find(canonical) !== model) this.#added.set(canonical, model);
  }

  /** False when there was no such name. */
  delete(name: string): boolean {
    const canonical = canonicalName(name);
    if (this.#added.delete(canonical)) return true;
    if (this.find(canonical) === undefined) return false;
    this.#deleted.add(canonical);
    return true;
  }

  hasBlob(digest: string): boolean {
    return this.#blobs.has(digest);
  }

  addBlob(digest: string): void {
    this.#blobs.add(digest);
    if (this.#blobs.size > MAX_BLOBS) this.#blobs.delete(this.#blobs.values().next().value as string);
  }
}

const STORES = new WeakMap<SimState, ModelStore>();

export function modelStore(sim: SimState): ModelStore {
  let store = STORES.get(sim);
  if (store === undefined) {
    store = new ModelStore(sim);
    STORES.set(sim, store);
  }
  return store;
}

function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/**
 * A model's layers as Ollama lists them in its manifest: the weights (the model's size), then the
 * template, license and parameters, small.
 */
export function layersOf(model: ResolvedModel): Layer[] {
  return [
    { digest: `sha256:${model.digest}`, size: model.size },
    { digest: digestOf(`${model.name}:template`), size: 1_429 },
    { digest: digestOf(`${model.name}:license`), size: 7_711 },
    { digest: digestOf(`${model.name}:params`), size: 96 },
  ];
}
