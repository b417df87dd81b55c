/**
 * A function of `params` returning one object literal with these keys, in their order, the value
 * of key n being the JavaScript expression `valueOf(n)` over those params. Made once for the
 * columns of a statement or of a JSON value, every object it returns has one shape, which V8
 * builds and reads faster than objects given their keys one by one (node-postgres' rows were: a
 * page's profile showed them as the largest share of decoding it). Undefined for a key an object
 * literal cannot hold as its own: `__proto__` would set the object's prototype.
 */
export function objectLiteralBuilder<Builder extends (...args: never[]) => object>(keys: readonly string[], params: readonly string[], valueOf: (n: number) => string): Builder | undefined {
  if (keys.includes('__proto__')) return undefined;
  const entries = keys.map((key, n) => `${JSON.stringify(key)}: ${valueOf(n)}`);
  return new Function(...params, `return { ${entries.join(', ')} };`) as Builder;
}
