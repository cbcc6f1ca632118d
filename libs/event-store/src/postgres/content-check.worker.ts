import { parentPort } from 'node:worker_threads';
import { checkContents, type ContentRow } from './content-check.js';

/** A verification worker: hashes the batches it is sent and answers with their flags. */
parentPort!.on('message', ({ id, rows }: { id: number; rows: ContentRow[] }) => {
  const flags = checkContents(rows);
  parentPort!.postMessage({ id, flags }, [flags.buffer as ArrayBuffer]);
});
