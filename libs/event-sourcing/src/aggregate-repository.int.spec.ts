import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { PostgresEventStore, WrongExpectedVersionError, type EventStore } from '#lx/event-store';
import { AggregateRepository } from './aggregate-repository.js';
import { DomainError } from './domain-error.js';
import { fixedDecisionContext } from './testing/decider-spec.js';
import {
  InvalidIncrement,
  counterCatalogue,
  counterDecider,
  type CounterEvent,
  type CounterState,
} from './testing/counter.example.js';

// jest-circus reads testTimeout from the global config only, not from the `int` project's.
jest.setTimeout(60_000);

describe('AggregateRepository', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let repository: AggregateRepository;
  /** The store as the repositories see it: appends counted (conflicts), reads recorded. */
  let observed: EventStore;
  let conflicts = 0;
  const reads: { stream: string; fromRevision: number | undefined }[] = [];
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
    observed = Object.assign(Object.create(store) as EventStore, {
      appendToStream: (...args: Parameters<EventStore['appendToStream']>) =>
        store.appendToStream(...args).catch((error: unknown) => {
          if (error instanceof WrongExpectedVersionError) conflicts += 1;
          throw error;
        }),
      readStream: (...args: Parameters<EventStore['readStream']>) => {
        reads.push({ stream: args[0], fromRevision: args[1]?.fromRevision });
        return store.readStream(...args);
      },
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

  it('retries on conflict: 20 concurrent increments of one counter by 20 instances all succeed', async () => {
    const stream = counter();
    const before = conflicts;
    // Instances (processes) race; within one, commands on a stream take turns (next test).
    const instances = Array.from({ length: 20 }, () => new AggregateRepository(observed));
    // A command can lose the race at most once to each of the 19 others.
    const results = await Promise.all(
      instances.map((instance) => instance.handle(stream, counterDecider, increment(), { retries: 19 })),
    );

    expect(conflicts - before).toBeGreaterThan(0);
    expect(results.map((r) => r.nextRevision).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(await repository.load(stream, counterDecider)).toEqual({ state: { value: 20 }, revision: 19 });
    expect(await store.readStream(stream)).toHaveLength(20);
  });

  it('commands on one stream in one process take turns: 40 concurrent increments, no conflict, one load each', async () => {
    const stream = counter();
    const before = conflicts;
    reads.length = 0;
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        repository.handle(stream, counterDecider, increment(), { retries: 0 }),
      ),
    );

    expect(conflicts - before).toBe(0);
    expect(results.map((r) => r.nextRevision)).toEqual([...Array(40).keys()]);
    expect(reads.filter((read) => read.stream === stream)).toHaveLength(40);
    // A refused command does not block the ones queued after it.
    const refused = repository.handle(stream, counterDecider, increment(0));
    const after = repository.handle(stream, counterDecider, increment(1));
    await expect(refused).rejects.toBeInstanceOf(InvalidIncrement);
    await expect(after).resolves.toMatchObject({ state: { value: 41 } });
  });

  it('keeps the folded state of a decider that asks for it: a load folds only what was appended since', async () => {
    let folded = 0;
    const kept = {
      ...counterDecider,
      evolve: (state: CounterState, event: CounterEvent) => {
        folded++;
        return counterDecider.evolve(state, event);
      },
      keepFoldedStreams: 3,
    };
    const instance = new AggregateRepository(observed);
    const otherInstance = new AggregateRepository(store);
    const stream = counter();
    for (let i = 0; i < 30; i++) await otherInstance.handle(stream, counterDecider, increment());

    expect(await instance.load(stream, kept)).toEqual({ state: { value: 30 }, revision: 29 });
    expect(folded).toBe(30);
    // Another instance appends: the next load reads from the kept revision on and folds those two.
    await otherInstance.handle(stream, counterDecider, increment(2));
    await otherInstance.handle(stream, counterDecider, increment(3));
    reads.length = 0;
    folded = 0;
    expect(await instance.load(stream, kept)).toEqual({ state: { value: 35 }, revision: 31 });
    expect(reads).toEqual([{ stream, fromRevision: 30 }]);
    expect(folded).toBe(2);
    // Commands fold from the kept state too (one event read, then the decided one folded).
    folded = 0;
    await instance.handle(stream, kept, increment(5));
    expect(folded).toBe(1);
    expect(await instance.load(stream, kept)).toEqual({ state: { value: 40 }, revision: 32 });
    expect(folded).toBe(2);

    // At most `keepFoldedStreams` states are kept; an unknown stream is not kept at all.
    for (let i = 0; i < 5; i++) {
      const other = counter();
      await otherInstance.handle(other, counterDecider, increment());
      await instance.load(other, kept);
    }
    await instance.load(counter(), kept);
    expect(instance.keptStreams).toBe(3);
    // Deciders that do not ask for it are folded whole every time and keep nothing.
    const plain = new AggregateRepository(store);
    await plain.load(stream, counterDecider);
    expect(plain.keptStreams).toBe(0);
  });

  it('gives up with the conflict once its retries are spent', async () => {
    const stream = counter();
    const instances = Array.from({ length: 8 }, () => new AggregateRepository(observed));
    const outcomes = await Promise.allSettled(
      instances.map((instance) => instance.handle(stream, counterDecider, increment(), { retries: 0 })),
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
