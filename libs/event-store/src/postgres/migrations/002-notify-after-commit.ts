import type { SqlMigration } from '../../migrator.js';
import { LX_APPEND_V1 } from './001-event-store.js';

const NOTIFY = "  PERFORM pg_notify('lx_events', p_category);\n";

function withoutNotify(fn: string): string {
  if (!fn.includes(NOTIFY)) throw new Error('lx_append v1 no longer holds the NOTIFY this migration removes');
  return fn.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION').replace(NOTIFY, '');
}

/**
 * lx_append without its NOTIFY. A NOTIFY inside the append transaction makes PostgreSQL
 * serialise the commits of all notifying transactions (a cluster-wide lock held through each
 * commit's flush), so concurrent appenders could not share a flush. The adapter now notifies
 * after commit, coalesced; subscribers still poll as a fallback.
 */
export const notifyAfterCommitMigration: SqlMigration = {
  id: '002-notify-after-commit',
  sql: `
${withoutNotify(LX_APPEND_V1)}
`,
};
