/**
 * Structural sharing between two answers of the server: the parts of a new
 * snapshot that did not change keep the identity they had, so that memoized
 * views re-render only what changed. Pure.
 */

/**
 * `next`, with every part that deep-equals the same part of `prev` replaced by
 * that part of `prev` (structural sharing): `prev` itself when nothing changed.
 * Array items that all carry a numeric `id` are matched by id, others by
 * index. `next` (fresh JSON) is modified in place.
 */
export function reuseUnchanged<T>(prev: unknown, next: T): T {
  if (prev === next || Private.same(prev, next)) {
    return prev as T;
  }
  if (
    typeof prev !== 'object' ||
    typeof next !== 'object' ||
    prev === null ||
    next === null ||
    Array.isArray(prev) !== Array.isArray(next)
  ) {
    return next;
  }
  if (Array.isArray(next)) {
    const old = prev as unknown[];
    const byId = Private.byId(old);
    let same = old.length === next.length;
    for (let i = 0; i < next.length; i++) {
      const item = next[i];
      const match =
        byId && item && typeof item === 'object'
          ? byId.get((item as { id?: unknown }).id)
          : old[i];
      const kept = reuseUnchanged(match, item);
      next[i] = kept;
      if (kept !== old[i]) {
        same = false;
      }
    }
    return (same ? prev : next) as T;
  }
  const old = prev as { [key: string]: unknown };
  const fresh = next as { [key: string]: unknown };
  const keys = Object.keys(fresh);
  let same = keys.length === Object.keys(old).length;
  for (const key of keys) {
    const kept = reuseUnchanged(old[key], fresh[key]);
    fresh[key] = kept;
    if (kept !== old[key] || !(key in old)) {
      same = false;
    }
  }
  return (same ? prev : next) as T;
}

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * Equal primitives (NaN equals NaN).
   */
  export function same(a: unknown, b: unknown): boolean {
    return a === b || (a !== a && b !== b);
  }

  /**
   * Items by id, when every item is an object with a numeric id; else null.
   */
  export function byId(items: unknown[]): Map<unknown, unknown> | null {
    if (!items.length) {
      return null;
    }
    const map = new Map<unknown, unknown>();
    for (const item of items) {
      const id =
        item && typeof item === 'object'
          ? (item as { id?: unknown }).id
          : undefined;
      if (typeof id !== 'number' || map.has(id)) {
        return null;
      }
      map.set(id, item);
    }
    return map;
  }
}
