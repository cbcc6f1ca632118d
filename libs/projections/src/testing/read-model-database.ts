import { DataSource, type DataSourceOptions } from 'typeorm';
import { PostgresEventStore, type EventTypeRegistry } from '#lx/event-store';
import { createTestDatabase, type TestDatabase } from '#lx/testing';

/** A fresh database with an event log and an initialised DataSource for the read models on it. */
export interface ReadModelDatabase {
  database: TestDatabase;
  store: PostgresEventStore;
  dataSource: DataSource;
  /** Destroys the DataSource, closes the store and drops the database (stop the runners first). */
  close(): Promise<void>;
}

export async function openReadModelDatabase(
  label: string,
  registry: EventTypeRegistry,
  dataSourceOptions: Partial<
    Pick<DataSourceOptions & { type: 'postgres' }, 'entities' | 'poolSize' | 'extra'>
  > = {},
): Promise<ReadModelDatabase> {
  const database = await createTestDatabase(label);
  const store = await PostgresEventStore.connect({ connectionString: database.url, registry });
  const dataSource = new DataSource({ type: 'postgres', url: database.url, ...dataSourceOptions });
  await dataSource.initialize();
  return {
    database,
    store,
    dataSource,
    async close() {
      await dataSource.destroy();
      await store.close();
      await database.drop();
    },
  };
}
