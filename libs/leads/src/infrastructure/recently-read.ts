/**
 * `read` kept per key for `ttlMs`: callers within that time get the answer read first, and callers
 * while a read is under way share it. A failed read is not kept. For values that may be a few
 * seconds old by design, such as a seller's record (docs/architecture.md §4: a batch is scored with
 * the record of its submission, however long its verification takes).
 */
export function recentlyRead<V>(
  ttlMs: number,
  read: (key: string) => Promise<V>,
  now: () => number = Date.now,
): (key: string) => Promise<V> {
  const kept = new Map<string, { at: number; value: Promise<V> }>();
  return (key) => {
    const at = now();
    const found = kept.get(key);
    if (found && at - found.at < ttlMs) return found.value;
    if (kept.size >= 10_000) for (const [k, entry] of kept) if (at - entry.at >= ttlMs) kept.delete(k);
    const value = read(key);
    kept.set(key, { at, value });
    value.catch(() => {
      if (kept.get(key)?.value === value) kept.delete(key);
    });
    return value;
  };
}
