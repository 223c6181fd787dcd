import type { CacheEntry } from '@lunar/llm-cache';
import { describe, expect, it } from 'vitest';
import { entryFingerprint } from './entry-codec.js';
import { ReadGenerations } from './read-generations.js';

const entry = (createdAt: number): CacheEntry => ({
  version: 1,
  route: 'chat',
  chunks: [{ model: 'm', response: 'r', done: true }],
  streamed: false,
  timings: [],
  durationMs: 12.345,
  createdAt,
  size: 100,
});

const old = entry(1);
const fresh = entry(2);

describe('ReadGenerations', () => {
  it('tells a read that its key was invalidated meanwhile, and only that key', () => {
    const generations = new ReadGenerations();
    const a = generations.begin('a');
    const b = generations.begin('b');
    generations.invalidate('a');
    expect(generations.current(a, old)).toBe(false);
    expect(generations.current(b, old)).toBe(true);
    const later = generations.begin('a'); // began after the invalidation
    expect(generations.current(later, old)).toBe(true);
  });

  it('tells every read in flight that everything was cleared', () => {
    const generations = new ReadGenerations();
    const a = generations.begin('a');
    const b = generations.begin('b');
    generations.invalidateAll();
    expect(generations.current(a, old)).toBe(false);
    expect(generations.current(b, old)).toBe(false);
    expect(generations.current(generations.begin('a'), old)).toBe(true);
  });

  it('keeps a read of exactly the answer announced meanwhile, and no other', () => {
    const generations = new ReadGenerations();
    const ticket = generations.begin('a');
    generations.announce('a', entryFingerprint(fresh));
    expect(generations.current(ticket, fresh)).toBe(true);
    expect(generations.current(ticket, old)).toBe(false);
    expect(generations.current(ticket, { ...fresh, durationMs: 12.346 })).toBe(false);
    generations.invalidate('a'); // then deleted: nothing read before is kept
    expect(generations.current(ticket, fresh)).toBe(false);
  });

  it('keeps a key only while a read of it is in flight', () => {
    const generations = new ReadGenerations();
    generations.invalidate('never read'); // nothing to keep
    generations.announce('never read', entryFingerprint(fresh));
    expect(generations.size).toBe(0);
    const tickets = Array.from({ length: 1000 }, (_item, index) => generations.begin(`k${index % 10}`));
    expect(generations.size).toBe(10);
    for (const ticket of tickets.slice(0, 500)) generations.end(ticket);
    expect(generations.size).toBe(10);
    generations.invalidate('k3');
    for (const ticket of tickets.slice(500)) {
      expect(generations.current(ticket, old)).toBe(ticket.key !== 'k3');
      generations.end(ticket);
    }
    expect(generations.size).toBe(0);
    expect(generations.current(generations.begin('k3'), old)).toBe(true); // starts afresh
  });
});
