import { isEvent, LeadErased } from '#lx/contracts';
import type { EventStore, LogPosition } from '#lx/event-store';
import type { PersonalDataVault } from '#lx/vault';

/**
 * Destroys again every data key whose erasure the log records. The keys live in their own
 * database with its own backups: a restore of it (or a point-in-time recovery) from before an
 * erasure brings the key back, and this run at every start shreds it again before anything reads.
 * Returns the key ids that had come back.
 */
export async function reapplyRecordedErasures(
  store: EventStore,
  vault: PersonalDataVault,
): Promise<string[]> {
  const revived: string[] = [];
  let after: LogPosition | null = null;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000, filter: { eventTypes: [LeadErased.type] } });
    const keyIds = page.events.flatMap((event) => (isEvent(LeadErased, event) ? [event.data.keyId] : []));
    if (keyIds.length > 0) revived.push(...(await vault.erase(keyIds)));
    if (page.isEnd || page.nextAfter === null) return revived;
    after = page.nextAfter;
  }
}
