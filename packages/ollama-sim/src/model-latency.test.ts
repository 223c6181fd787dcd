import { describe, expect, it } from 'vitest';
import { modelLatency } from './model-latency.js';
import { PROFILES } from './profiles.js';

describe('modelLatency', () => {
  it("is the profile's figures for llama3.2:3b, scaled by the published factors for qwen3:8b", () => {
    const llama = modelLatency('llama3.2:3b', 'seed');
    expect(llama).toEqual({
      loadMs: 1800,
      promptTokensPerSecond: 1000,
      tokensPerSecond: 40,
      overheadMs: 20,
      embedMsPerInput: 15,
    });
    const qwen = modelLatency('qwen3:8b', 'seed');
    expect(qwen.promptTokensPerSecond).toBeCloseTo(390);
    expect(qwen.tokensPerSecond).toBeCloseTo(18);
    expect(qwen.loadMs).toBeCloseTo(4680);
    expect(qwen.overheadMs).toBe(PROFILES.seed.overheadMs);
    // An embedding model loads fast; a name without a tag is the `latest` one.
    expect(modelLatency('nomic-embed-text', 'seed').loadMs).toBeLessThan(llama.loadMs / 5);
    expect(modelLatency('unknown-model', 'cpu').tokensPerSecond).toBe(PROFILES.cpu.tokensPerSecond);
  });

  it('rejects a bad profile or model', () => {
    expect(() => modelLatency('llama3.2:3b', 'tpu' as never)).toThrow(/profile must be one of/);
    expect(() => modelLatency('')).toThrow(TypeError);
  });
});
