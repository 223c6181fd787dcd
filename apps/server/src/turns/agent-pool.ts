import { type Agent, type AgentConfig, createAgent } from '@lunar/agent';

/**
 * One agent per model a turn may pick, made on first use and kept (the allowed list bounds the
 * map). The agents share the Ollama client, LLM cache, memory and tools given in `base`.
 */
export class AgentPool {
  readonly defaultModel: string;
  readonly models: readonly string[];
  readonly #base: Omit<AgentConfig, 'model'>;
  readonly #agents = new Map<string, Agent>();

  constructor(base: Omit<AgentConfig, 'model'>, models: readonly string[]) {
    this.#base = base;
    this.models = models;
    this.defaultModel = models[0]!;
  }

  /** The agent for `model` (default: the default model), or undefined when the model is not allowed. */
  get(model: string = this.defaultModel): Agent | undefined {
    const existing = this.#agents.get(model);
    if (existing) return existing;
    if (!this.models.includes(model)) return undefined;
    const agent = createAgent({ ...this.#base, model });
    this.#agents.set(model, agent);
    return agent;
  }

  get size(): number {
    return this.#agents.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#agents.values()].map((agent) => agent.close()));
    this.#agents.clear();
  }
}
