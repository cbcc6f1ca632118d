import { DataSource } from 'typeorm';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { createTestDatabase, type TestDatabase } from '#lx/testing';

/** A fresh database with the exchange's log and a DataSource reading the named read models. */
export interface SettlementDatabase {
  database: TestDatabase;
  store: PostgresEventStore;
  /** Initialised; its search_path is the read models' schemas, then public. */
  dataSource: DataSource;
  /** Destroys the DataSource, closes the store and drops the database (stop the runners first). */
  close(): Promise<void>;
}

export async function openSettlementDatabase(
  label: string,
  readModelSchemas: string[],
): Promise<SettlementDatabase> {
  const database = await createTestDatabase(label);
  const store = await PostgresEventStore.connect({
    connectionString: database.url,
    registry: eventCatalogue,
  });
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.url,
    extra: { options: `-c search_path=${[...readModelSchemas, 'public'].join(',')}` },
  });
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
