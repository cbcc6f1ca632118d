import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReplayProof } from '../application/replay-proof.js';

/** The audit command line, next to this file in the build (dist/libs/audit/src/infrastructure → dist/scripts). */
const cli = fileURLToPath(new URL('../../../../scripts/audit.js', import.meta.url));

/**
 * Node flags of the scratch process. A replay allocates one short-lived object after another (rows,
 * inputs, outputs) while holding the whole market: a larger young generation cuts the collector's
 * share (≈ 9 % faster at 1 000 000 events, bench/README).
 */
export const REPLAY_NODE_FLAGS = ['--max-semi-space-size=64'] as const;

/**
 * Runs the replay proof in a scratch process: a fresh engine in a process of its own, so that
 * re-running the market can neither disturb nor borrow state from the live engines of this app.
 */
export function replayInScratchProcess(upTo?: string): Promise<ReplayProof> {
  if (!existsSync(cli)) return Promise.reject(new Error(`The audit command line is not built (${cli})`));
  const args = [...REPLAY_NODE_FLAGS, cli, 'replay', '--json', ...(upTo ? ['--up-to', upTo] : [])];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { env: process.env, maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1);
        // Exit code 2 means "diverges": the proof itself is still the answer.
        if (line?.startsWith('{')) return resolve(JSON.parse(line) as ReplayProof);
        reject(error ?? new Error(`replay produced no proof: ${stderr.slice(-2000)}`));
      },
    );
  });
}
