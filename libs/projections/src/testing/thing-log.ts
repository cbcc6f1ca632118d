import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { comparePositions, type EventStore, type LogPosition, type RecordedEvent } from '#lx/event-store';

/**
 * Appends `perStream` ThingHappened {n: 1…} to each of `streams` new streams, one event at a time,
 * and returns the position of the last once it is readable. (A just-committed event stays
 * unreadable while an older transaction is open: the event store's gap-safe order.)
 */
export async function appendThings(
  store: EventStore,
  streams: number,
  perStream: number,
): Promise<LogPosition> {
  const run = randomBytes(3).toString('hex');
  let last: LogPosition | null = null;
  for (let s = 0; s < streams; s++)
    for (let i = 0; i < perStream; i++)
      ({ position: last } = await store.appendToStream(
        `thing-${run}${s}`,
        [{ type: 'ThingHappened', data: { n: i + 1 } }],
        { expectedRevision: 'any' },
      ));
  await waitFor(async () => comparePositions((await store.headPosition())!, last!) >= 0);
  return last!;
}

/** Every `ThingHappened` in the log, in log order. */
/**
 * Every ThingHappened of the log, in log order. Read until two reads agree: a transaction of another
 * database that ends between the horizon's snapshot and its look at the backends counts as in
 * progress for that one read (lx_read_horizon, migration 007), so on a busy server one read may stop
 * short of events an earlier read saw.
 */
export async function allThingEvents(store: EventStore): Promise<RecordedEvent[]> {
  let previous = await readThingEvents(store);
  for (let attempt = 0; attempt < 20; attempt++) {
    const events = await readThingEvents(store);
    if (events.length === previous.length) return events;
    previous = events.length > previous.length ? events : previous;
  }
  return previous;
}

async function readThingEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = null;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 500, filter: { eventTypes: ['ThingHappened'] } });
    events.push(...page.events);
    after = page.nextAfter;
    if (page.isEnd) return events;
  }
}

/** event id → how many times the counting projection in `schema` applied it. */
export async function timesApplied(dataSource: DataSource, schema: string): Promise<Map<string, number>> {
  const rows: { event_id: string; times_applied: number }[] = await dataSource.query(
    `SELECT event_id, times_applied FROM ${schema}.applied_event`,
  );
  return new Map(rows.map((row) => [row.event_id, row.times_applied]));
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
