import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { scanChains, type ScanScope } from './verify-scan.js';

/**
 * A verification worker: scans its part of the log (`scope`) on a connection of its own, in the
 * snapshot the verifying transaction exported, and answers with what it found. Progress messages
 * (`{ progress }`, events checked so far) come before the answer (`{ findings }`); a failure
 * ends the worker with an error.
 */
const { connectionString, snapshot, scope } = workerData as {
  connectionString: string;
  snapshot: string;
  scope: ScanScope;
};
const client = new pg.Client({ connectionString });
await client.connect();
try {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // A snapshot id is hexadecimal words and a number (checked by the sender); it cannot be a parameter.
  await client.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
  const findings = await scanChains(client, scope, (progress) => parentPort!.postMessage({ progress }));
  await client.query('COMMIT');
  parentPort!.postMessage({ findings });
} finally {
  await client.end();
}
