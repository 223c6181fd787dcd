import { describe, expect, it } from 'vitest';
import { parseDefaultKeepAlive, parseGoDuration, parseKeepAlive } from './keep-alive.js';

describe('parseGoDuration', () => {
  it('reads Go durations', () => {
    expect(parseGoDuration('10m')).toBe(600_000);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('500ms')).toBe(500);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('-1m')).toBe(-60_000);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('250us')).toBe(0.25);
  });

  it('fails with the texts Go uses', () => {
    expect(() => parseGoDuration('3600')).toThrow('time: missing unit in duration "3600"');
    expect(() => parseGoDuration('10x')).toThrow('time: unknown unit "x" in duration "10x"');
    expect(() => parseGoDuration('')).toThrow('time: invalid duration ""');
    expect(() => parseGoDuration('abc')).toThrow('time: invalid duration "abc"');
  });
});

describe('parseKeepAlive', () => {
  it('reads numbers as whole seconds and negatives as forever', () => {
    expect(parseKeepAlive(30)).toBe(30_000);
    expect(parseKeepAlive(1.9)).toBe(1000);
    expect(parseKeepAlive(0)).toBe(0);
    expect(parseKeepAlive(-1)).toBe(Number.POSITIVE_INFINITY);
    expect(parseKeepAlive('-1m')).toBe(Number.POSITIVE_INFINITY);
    expect(parseKeepAlive('24h')).toBe(86_400_000);
  });

  it('rejects other types like Ollama', () => {
    expect(() => parseKeepAlive(true)).toThrow("Unsupported type: 'bool'");
    expect(() => parseKeepAlive('3600')).toThrow('time: missing unit in duration "3600"');
  });

  it('accepts digit strings as seconds for the server default, like OLLAMA_KEEP_ALIVE', () => {
    expect(parseDefaultKeepAlive('3600')).toBe(3_600_000);
    expect(parseDefaultKeepAlive('5m')).toBe(300_000);
  });
});
