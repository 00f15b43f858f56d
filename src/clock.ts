/**
 * The one clock. Everything that needs "now" takes a Clock; only systemClock reads the machine's
 * time, and GAZETTE_NOW replaces it with a pinned instant for tests and golden pages.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(instant: Date): Clock {
  const ms = instant.getTime();
  return { now: () => new Date(ms) };
}
