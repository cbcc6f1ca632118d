import type { PostgresEventStore, StreamWrite } from '#lx/event-store';

/**
 * The store, except that each transaction appending listings (`appendInTransaction`, see
 * PostgresVerificationStore.listUnlessRefused) waits at `pause` once it has decided its writes,
 * while it still holds its locks and before it appends them: a race test's moment "the listing is
 * being written".
 */
export function pausingListings(
  store: PostgresEventStore,
  pause: (writes: readonly StreamWrite[]) => Promise<void>,
): PostgresEventStore {
  const appendInTransaction: PostgresEventStore['appendInTransaction'] = (work, options) =>
    store.appendInTransaction(async (transaction) => {
      const decision = await work(transaction);
      if (decision.writes.length > 0) await pause(decision.writes);
      return decision;
    }, options);
  return Object.create(store, { appendInTransaction: { value: appendInTransaction } }) as PostgresEventStore;
}
