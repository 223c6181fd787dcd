import { describe, expect, it } from 'vitest';
import { Timers } from './timers.js';

describe('Timers', () => {
  it('sleeps and forgets the timer afterwards', async () => {
    const timers = new Timers();
    const sleeping = timers.sleep(5);
    expect(timers.size).toBe(1);
    await sleeping;
    expect(timers.size).toBe(0);
  });

  it('rejects with the abort reason and clears the timer', async () => {
    const timers = new Timers();
    const controller = new AbortController();
    const sleeping = timers.sleep(60_000, controller.signal);
    controller.abort(new Error('gone'));
    await expect(sleeping).rejects.toThrow('gone');
    expect(timers.size).toBe(0);
  });

  it('clears every pending timer', () => {
    const timers = new Timers();
    let fired = false;
    timers.after(10, () => {
      fired = true;
    });
    timers.clearAll();
    expect(timers.size).toBe(0);
    expect(fired).toBe(false);
  });

  it('starts no timer once closed', async () => {
    const timers = new Timers();
    timers.close();
    expect(timers.after(10, () => {})).toBeUndefined();
    await expect(timers.sleep(10)).rejects.toThrow('the timers are closed');
    expect(timers.size).toBe(0);
  });
});
