import type { Page } from '../store/pages.js';

/**
 * An edge of a Relay connection, its cursor sealed only if the query reads it. A class: an object
 * literal with a getter makes a closure and an accessor of its own for every edge of every page.
 */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (item: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/** A store page as a Relay connection: each edge's cursor is sealed only if the query reads it. */
export function relayConnection<T>({ items, pageInfo, cursorOf }: Page<T>) {
  return { edges: items.map((node) => new Edge(node, cursorOf)), pageInfo };
}
