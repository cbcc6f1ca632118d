import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `condition` every 100 ms until it holds; throws naming `what` once `timeoutMs` passed. For
 * what other processes, workers and projections do in their own time.
 */
export async function waitUntilTrue(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
