import type { ProfileName } from '@lunar/ollama-sim';

/** The simulator's latency profiles, in the order the usage lists them (the default first). */
export const SIM_PROFILES: readonly ProfileName[] = ['seed', 'gpu', 'cpu', 'fast'];
