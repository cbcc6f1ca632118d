import { comparePositions, type EventStore, type LogPosition, type RecordedEvent } from '#lx/event-store';

/**
 * One order's events on its buyer's stream (placement, amendments, pause/resume/cancel) up to a
 * log position — `before` excludes the position itself, `through` includes it. The order as it
 * stood then is the fold of these.
 */
export async function orderEventsAsOf(
  store: EventStore,
  buyerId: string,
  orderId: string,
  upTo: { before: LogPosition } | { through: LogPosition },
): Promise<RecordedEvent[]> {
  const limit = 'before' in upTo ? upTo.before : upTo.through;
  const last = 'before' in upTo ? -1 : 0;
  return (await store.readStream(`buyer-${buyerId}`)).filter(
    (event) =>
      (event.data as { orderId?: string }).orderId === orderId &&
      comparePositions(event.position, limit) <= last,
  );
}

export const isOrderTerms = (event: RecordedEvent) =>
  event.type === 'OrderPlaced' || event.type === 'OrderAmended';
