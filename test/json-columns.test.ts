import { expect, it } from 'vitest';
import { fromJsonValues, type JsonColumns } from '../src/store/json-columns.js';

// Objects made from a JSON value's columns: each list of columns gets a builder made for it, up to
// a bound past which a list's builder sets its keys one by one (no compilation per list a client's
// document can make up). Both must make the same objects.
it('makes the same objects from a JSON value for any number of column lists, past the bound of compiled builders too', () => {
  const values = ['12345678901234567890', 'text', null, 1_735_689_601_000, null, { nested: [1, 'a'] }];
  const expected = { id: 12345678901234567890n, text: 'text', url: null, createdAt: new Date(1_735_689_601_000), updatedAt: null, meta: { nested: [1, 'a'] } };
  for (let n = 0; n < 1500; n++) {
    // A new list each time, as the source columns of documents naming different fields would be.
    const columns: JsonColumns = [['id', 'bigint'], ['text', 'value'], ['url', 'value'], ['createdAt', 'date'], ['updatedAt', 'date'], ['meta', 'value']];
    const object = fromJsonValues(columns)(values);
    expect(object).toEqual(expected);
    expect(Object.keys(object)).toEqual(Object.keys(expected));
    expect(fromJsonValues(columns)).toBe(fromJsonValues(columns));
  }
});
