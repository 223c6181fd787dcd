import { describe, expect, it } from 'vitest';
import { StopFilter } from './stop-filter.js';

describe('StopFilter', () => {
  it('passes pieces through without stop sequences', () => {
    const filter = new StopFilter([]);
    expect(filter.push('a')).toEqual({ text: 'a', stopped: false });
  });

  it('holds back a possible start of a stop sequence and never sends the stop sequence', () => {
    const filter = new StopFilter(['END']);
    expect(filter.push('one E')).toEqual({ text: 'one ', stopped: false });
    expect(filter.push('N')).toEqual({ text: '', stopped: false });
    expect(filter.push('D two')).toEqual({ text: '', stopped: true });
    expect(filter.released).toBe('one ');
  });

  it('releases held text that turns out not to be a stop sequence', () => {
    const filter = new StopFilter(['END']);
    expect(filter.push('E')).toEqual({ text: '', stopped: false });
    expect(filter.push('x')).toEqual({ text: 'Ex', stopped: false });
    expect(filter.push('E')).toEqual({ text: '', stopped: false });
    expect(filter.flush()).toBe('E');
    expect(filter.released).toBe('ExE');
  });
});
