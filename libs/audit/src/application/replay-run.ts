import type { ReplayProof } from './replay-proof.js';

/*
 * A replay run as the auditor's commands and queries answer it. Declared here, with the messages
 * that carry it; the infrastructure's ReplayRuns keeps runs in PostgreSQL.
 */

/** `queued`: waiting for the replay before it; `interrupted`: the app running it stopped. */
export type ReplayRunState = 'queued' | 'running' | 'done' | 'failed' | 'interrupted';

export interface ReplayRun {
  id: string;
  state: ReplayRunState;
  requestedBy: string;
  upTo: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { eventsRead: number; position: string | null; sequence: number | null; total: number | null };
  proof: ReplayProof | null;
  error: string | null;
}
