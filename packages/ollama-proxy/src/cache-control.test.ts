import { describe, expect, it } from 'vitest';
import { cacheModeOf } from './cache-control.js';

describe('cacheModeOf', () => {
  it('maps Cache-Control directives to cache modes', () => {
    expect(cacheModeOf(undefined)).toBe('default');
    expect(cacheModeOf('max-age=60')).toBe('default');
    expect(cacheModeOf('no-cache')).toBe('no-cache');
    expect(cacheModeOf('No-Store')).toBe('no-store');
    expect(cacheModeOf('max-age=0, no-store')).toBe('no-store');
    expect(cacheModeOf('no-cache, no-store')).toBe('bypass');
    expect(cacheModeOf(['no-cache', 'no-store'])).toBe('bypass');
    expect(cacheModeOf('no-cachex')).toBe('default');
  });
});
