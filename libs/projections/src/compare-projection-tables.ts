import type { DataSource } from 'typeorm';
import type { LogPosition } from '#lx/event-store';
import { readCheckpoint } from './projection-schema.js';

export interface TableComparison {
  table: string;
  /** Null when the table does not exist on that side. */
  liveRows: number | null;
  rebuiltRows: number | null;
  equal: boolean;
  /** Up to `sampleLimit` rows (as JSON) present only on one side, counting duplicates. */
  onlyInLive: Record<string, unknown>[];
  onlyInRebuilt: Record<string, unknown>[];
}

export interface ProjectionComparison {
  /** Every table holds the same rows on both sides. */
  equal: boolean;
  live: { schema: string; position: LogPosition | null };
  rebuilt: { schema: string; position: LogPosition | null };
  tables: TableComparison[];
}

/**
 * Compares two copies of a read model table by table, row by row (as jsonb, duplicates counted),
 * leaving out the checkpoint table. Meaningful when both checkpoints are at the same position.
 */
export async function compareProjectionTables(
  executor: Pick<DataSource, 'query'>,
  live: string,
  rebuilt: string,
  options: { sampleLimit?: number } = {},
): Promise<ProjectionComparison> {
  for (const schema of [live, rebuilt])
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`Not a schema name: "${schema}"`);
  const sampleLimit = options.sampleLimit ?? 20;
  const liveTables = await tablesOf(executor, live);
  const rebuiltTables = await tablesOf(executor, rebuilt);
  const names = [...new Set([...liveTables, ...rebuiltTables])].sort();
  const tables: TableComparison[] = [];
  for (const table of names) {
    const inLive = liveTables.includes(table);
    const inRebuilt = rebuiltTables.includes(table);
    const liveTable = `${live}.${quote(table)}`;
    const rebuiltTable = `${rebuilt}.${quote(table)}`;
    const liveRows = inLive ? await countRows(executor, liveTable) : null;
    const rebuiltRows = inRebuilt ? await countRows(executor, rebuiltTable) : null;
    const onlyInLive =
      inLive && inRebuilt ? await rowsMissingFrom(executor, liveTable, rebuiltTable, sampleLimit) : [];
    const onlyInRebuilt =
      inLive && inRebuilt ? await rowsMissingFrom(executor, rebuiltTable, liveTable, sampleLimit) : [];
    const equal = inLive && inRebuilt && onlyInLive.length === 0 && onlyInRebuilt.length === 0;
    tables.push({ table, liveRows, rebuiltRows, equal, onlyInLive, onlyInRebuilt });
  }
  return {
    equal: tables.every((table) => table.equal),
    live: { schema: live, position: (await readCheckpoint(executor, live))?.position ?? null },
    rebuilt: { schema: rebuilt, position: (await readCheckpoint(executor, rebuilt))?.position ?? null },
    tables,
  };
}

async function tablesOf(executor: Pick<DataSource, 'query'>, schema: string): Promise<string[]> {
  const rows: { table_name: string }[] = await executor.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'projection_checkpoint'`,
    [schema],
  );
  return rows.map((row) => row.table_name);
}

async function countRows(executor: Pick<DataSource, 'query'>, table: string): Promise<number> {
  const [row] = await executor.query(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(row.n);
}

async function rowsMissingFrom(
  executor: Pick<DataSource, 'query'>,
  from: string,
  other: string,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const rows: { row: Record<string, unknown> }[] = await executor.query(
    `SELECT row FROM (SELECT to_jsonb(t) AS row FROM ${from} t EXCEPT ALL SELECT to_jsonb(t) FROM ${other} t) d
      ORDER BY row LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.row);
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
