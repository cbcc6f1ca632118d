import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  Command,
  CommandBus,
  CommandHandler,
  CqrsModule,
  Query,
  QueryBus,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { EventStoreModule } from '#lx/event-store';
import { AggregateRepository } from './aggregate-repository.js';
import { EventSourcingModule } from './event-sourcing.module.js';
import { CounterLimitExceeded, counterCatalogue, counterDecider } from './testing/counter.example.js';

// jest-circus reads testTimeout from the global config only, not from the `int` project's.
jest.setTimeout(60_000);

// The shape every bounded context follows: a command class and its handler, which goes through
// the repository; a query and its handler, which answers from the aggregate.

class IncrementCounter extends Command<{ value: number; revision: number }> {
  constructor(
    readonly counterId: string,
    readonly by: number,
    readonly actor: string,
  ) {
    super();
  }
}

@CommandHandler(IncrementCounter)
class IncrementCounterHandler implements ICommandHandler<IncrementCounter> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: IncrementCounter): Promise<{ value: number; revision: number }> {
    const result = await this.repository.handle(
      `counter-${command.counterId}`,
      counterDecider,
      { kind: 'increment', by: command.by },
      { metadata: { actor: command.actor } },
    );
    return { value: result.state.value, revision: result.nextRevision };
  }
}

class GetCounter extends Query<{ value: number; revision: number }> {
  constructor(readonly counterId: string) {
    super();
  }
}

@QueryHandler(GetCounter)
class GetCounterHandler implements IQueryHandler<GetCounter> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(query: GetCounter): Promise<{ value: number; revision: number }> {
    const { state, revision } = await this.repository.load(`counter-${query.counterId}`, counterDecider);
    return { value: state.value, revision };
  }
}

describe('EventSourcingModule with @nestjs/cqrs', () => {
  let database: TestDatabase;
  let app: TestingModule;

  beforeAll(async () => {
    database = await createTestDatabase('event_sourcing_module');
    app = await Test.createTestingModule({
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ kind: 'postgres', postgresUrl: database.url, registry: counterCatalogue }),
        EventSourcingModule,
      ],
      providers: [IncrementCounterHandler, GetCounterHandler],
    }).compile();
    await app.init(); // registers the handlers with the buses
  });

  afterAll(async () => {
    await app?.close(); // closes the event store
    await database?.drop();
  });

  it('executes commands through the CommandBus and answers queries through the QueryBus', async () => {
    const counterId = randomBytes(6).toString('hex');
    const commands = app.get(CommandBus);
    const queries = app.get(QueryBus);

    expect(await queries.execute(new GetCounter(counterId))).toEqual({ value: 0, revision: -1 });
    expect(await commands.execute(new IncrementCounter(counterId, 2, 'participant-1'))).toEqual({
      value: 2,
      revision: 0,
    });
    await commands.execute(new IncrementCounter(counterId, 5, 'participant-2'));
    expect(await queries.execute(new GetCounter(counterId))).toEqual({ value: 7, revision: 1 });
  });

  it('lets a domain error reach the caller of the CommandBus, with nothing appended', async () => {
    const counterId = randomBytes(6).toString('hex');
    const commands = app.get(CommandBus);
    await commands.execute(new IncrementCounter(counterId, 999, 'participant-1'));

    await expect(
      commands.execute(new IncrementCounter(counterId, 2, 'participant-1')),
    ).rejects.toBeInstanceOf(CounterLimitExceeded);
    expect(await app.get(QueryBus).execute(new GetCounter(counterId))).toEqual({ value: 999, revision: 0 });
  });
});
