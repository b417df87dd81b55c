import { describe, expect, it } from 'vitest';
import { dateJsonText, dateSecondsText } from '../src/models/date-text.js';

// The DateTime text the compiled executor writes must be JSON's own, to the character; the Twilio
// surface's, toISOString's without its milliseconds.
describe('dates written as text', () => {
  const DAY_MS = 86_400_000;

  it('writes every date as toJSON does (and toISOString to the second), across leap days, centuries and the limits it formats itself', () => {
    const instants = [0, 1, 999, 1000, 59_999, 3_599_999, DAY_MS - 1, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(1900, 1, 28), Date.UTC(2100, 2, 1), Date.UTC(2400, 1, 29), 253_402_300_799_999];
    // Some days of every year to 9999, at a time of day that changes from one to the next.
    for (let time = 0; time < 253_402_300_800_000; time += 37 * DAY_MS + 3_723_456) instants.push(time);
    for (const time of instants) {
      expect(dateJsonText(new Date(time))).toBe(new Date(time).toJSON());
      expect(dateSecondsText(new Date(time))).toBe(new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    }
  });

  it('leaves dates before 1970, from the year 10000 on, and invalid ones to toJSON (and toISOString)', () => {
    for (const time of [-1, -DAY_MS * 365 * 3000, 253_402_300_800_000, 8.64e15, Number.NaN]) expect(dateJsonText(new Date(time))).toBe(new Date(time).toJSON());
    for (const time of [-1, -DAY_MS * 365 * 3000, 253_402_300_800_000, 8.64e15]) expect(dateSecondsText(new Date(time))).toBe(new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(() => dateSecondsText(new Date(Number.NaN))).toThrow(RangeError);
  });
});
