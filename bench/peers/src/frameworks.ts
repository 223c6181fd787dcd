import type { Framework, FrameworkSetup } from './framework.js';
import type { LunarVariant } from './frameworks/lunar.js';

/** What a row of the table stands for, and how its process makes the framework. */
export interface FrameworkEntry {
  label: string;
  /** A peer: a framework a user would pick instead of Lunar. */
  peer: boolean;
  /** Only its second ask is reported (its first ask is not an uncached turn by the table's rules). */
  secondAskOnly?: boolean;
  /** Left out of the default matrix (to keep its run time down); BENCH_FRAMEWORKS names it. */
  optional?: boolean;
  load(setup: FrameworkSetup): Promise<Framework>;
}

const lunar = (variant: LunarVariant) => async (setup: FrameworkSetup) =>
  (await import('./frameworks/lunar.js')).createLunarFramework(setup, variant);

/** Every row, in the table's order. Each loads its framework only in its own process. */
export const FRAMEWORKS = {
  'ai-sdk': {
    label: 'AI SDK `streamText` + ai-sdk-ollama',
    peer: true,
    load: async (setup) => (await import('./frameworks/ai-sdk.js')).createFramework(setup),
  },
  langchain: {
    label: 'LangChain `bindTools` loop',
    peer: true,
    load: async (setup) => (await import('./frameworks/langchain.js')).createFramework(setup),
  },
  langgraph: {
    label: 'LangGraph `createReactAgent`',
    peer: true,
    optional: true,
    load: async (setup) => (await import('./frameworks/langgraph.js')).createFramework(setup),
  },
  'ollama-js': {
    label: 'ollama-js + hand-written loop',
    peer: true,
    load: async (setup) => (await import('./frameworks/ollama-js.js')).createFramework(setup),
  },
  lunar: {
    label: 'Lunar, every optimisation on',
    peer: false,
    load: lunar({ optimizations: 'on', toolCache: false }),
  },
  'lunar-tool-cache': {
    label: 'Lunar, every optimisation on + `cacheableTools`',
    peer: false,
    secondAskOnly: true,
    load: lunar({ optimizations: 'on', toolCache: true }),
  },
  'lunar-off': {
    label: 'Lunar, every optimisation off',
    peer: false,
    load: lunar({ optimizations: 'off', toolCache: false }),
  },
} satisfies Record<string, FrameworkEntry>;

export type FrameworkName = keyof typeof FRAMEWORKS;
export const FRAMEWORK_NAMES = Object.keys(FRAMEWORKS) as FrameworkName[];
/** The rows run unless BENCH_FRAMEWORKS says otherwise. */
export const DEFAULT_FRAMEWORKS = FRAMEWORK_NAMES.filter((name) => {
  const entry: FrameworkEntry = FRAMEWORKS[name];
  return entry.optional !== true;
});

export function isFrameworkName(value: string): value is FrameworkName {
  return Object.hasOwn(FRAMEWORKS, value);
}
