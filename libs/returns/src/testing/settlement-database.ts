import { eventCatalogue } from '#lx/contracts';
import {
  openReadModelDatabase,
  type ReadModelDatabase,
} from '../../../projections/src/testing/read-model-database.js';

/** A fresh database with the exchange's log and a DataSource reading the named read models. */
export type SettlementDatabase = ReadModelDatabase;

/** The DataSource's search_path is the read models' schemas, then public. */
export function openSettlementDatabase(
  label: string,
  readModelSchemas: string[],
): Promise<SettlementDatabase> {
  return openReadModelDatabase(label, eventCatalogue, {
    extra: { options: `-c search_path=${[...readModelSchemas, 'public'].join(',')}` },
  });
}
