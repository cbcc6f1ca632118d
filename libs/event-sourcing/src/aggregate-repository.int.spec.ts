import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { PostgresEventStore, WrongExpectedVersionError, type EventStore } from '#lx/event-store';
import { AggregateRepository } from './aggregate-repository.js';
import { DomainError } from './domain-error.js';
import { fixedDecisionContext } from './testing/decider-spec.js';
import { InvalidIncrement, counterCatalogue, counterDecider } from './testing/counter.example.js';

// jest-circus reads testTimeout from the global config only, not from the `int` project's.
jest.setTimeout(60_000);

describe('AggregateRepository', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let repository: AggregateRepository;
  let conflicts = 0;
  const counter = () => `counter-${randomBytes(6).toString('hex')}`;
  const increment = (by = 1) => ({ kind: 'increment', by }) as const;

  beforeAll(async () => {
    database = await createTestDatabase('aggregate_repository');
    store = await PostgresEventStore.connect({
      connectionString: database.url,
      registry: counterCatalogue,
      poolSize: 20,
    });
    // The real store, counting the conflicts it reports, to show the retries really happen.
    const observed: EventStore = Object.assign(Object.create(store) as EventStore, {
      appendToStream: (...args: Parameters<EventStore['appendToStream']>) =>
        store.appendToStream(...args).catch((error: unknown) => {
          if (error instanceof WrongExpectedVersionError) conflicts += 1;
          throw error;
        }),
    });
    repository = new AggregateRepository(observed);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('loads an unknown stream as the initial state at revision -1', async () => {
    expect(await repository.load(counter(), counterDecider)).toEqual({ state: { value: 0 }, revision: -1 });
  });

  it('appends what the decider decides, with the context time as occurredAt, and folds it back', async () => {
    const stream = counter();
    const context = fixedDecisionContext(new Date('2030-02-03T04:05:06.000Z'));
    const first = await repository.handle(stream, counterDecider, increment(2), {
      context,
      metadata: { actor: 'participant-7', correlationId: '5f0c1d5e-7a7b-4c36-9f5e-0d5f2a1b3c4d' },
    });
    const second = await repository.handle(stream, counterDecider, increment(3));

    expect(first).toMatchObject({
      state: { value: 2 },
      nextRevision: 0,
      events: [{ type: 'CounterIncremented' }],
    });
    expect(second).toMatchObject({ state: { value: 5 }, nextRevision: 1 });
    const [recorded] = await store.readStream(stream);
    expect(recorded!.position).toEqual(first.position);
    expect(recorded!.data).toEqual({
      incrementId: '00000000-0000-4000-8000-000000000001',
      by: 2,
      at: '2030-02-03T04:05:06.000Z',
    });
    expect(recorded!.metadata).toMatchObject({
      actor: 'participant-7',
      correlationId: '5f0c1d5e-7a7b-4c36-9f5e-0d5f2a1b3c4d',
      occurredAt: '2030-02-03T04:05:06.000Z',
    });
    expect(await repository.load(stream, counterDecider)).toEqual({ state: { value: 5 }, revision: 1 });
  });

  it('retries on conflict: 20 concurrent increments of one counter all succeed', async () => {
    const stream = counter();
    const before = conflicts;
    // A command can lose the race at most once to each of the 19 others.
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        repository.handle(stream, counterDecider, increment(), { retries: 19 }),
      ),
    );

    expect(conflicts - before).toBeGreaterThan(0);
    expect(results.map((r) => r.nextRevision).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(await repository.load(stream, counterDecider)).toEqual({ state: { value: 20 }, revision: 19 });
    expect(await store.readStream(stream)).toHaveLength(20);
  });

  it('gives up with the conflict once its retries are spent', async () => {
    const stream = counter();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => repository.handle(stream, counterDecider, increment(), { retries: 0 })),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    for (const outcome of failed) expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.readStream(stream)).toHaveLength(8 - failed.length);
  });

  it('appends nothing when decide throws a DomainError', async () => {
    const stream = counter();
    await repository.handle(stream, counterDecider, increment(1));
    const refused = repository.handle(stream, counterDecider, increment(0));

    await expect(refused).rejects.toBeInstanceOf(InvalidIncrement);
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: 'invalid-increment', details: { by: 0 } });
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('appends nothing when the decision has no events', async () => {
    const stream = counter();
    const result = await repository.handle(stream, counterDecider, { kind: 'reset' });

    expect(result).toEqual({ events: [], state: { value: 0 }, nextRevision: -1, position: null });
    expect(await store.readStream(stream)).toEqual([]);
  });
});
