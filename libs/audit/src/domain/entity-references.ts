/**
 * The kinds of things an auditor asks the history about: besides the trade's entities, a seller's
 * ping (§5.2), an operator's do-not-contact list (§4.3) and a batch's authenticity sample (§4.1,
 * its id the batch's).
 */
export const ENTITY_KINDS = [
  'lead',
  'order',
  'allocation',
  'participant',
  'batch',
  'payout',
  'ping',
  'doNotContactList',
  'authenticitySample',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface EntityReference {
  kind: EntityKind;
  id: string;
}

/** Data fields that name an entity, and what they name. */
const FIELD_KINDS: Record<string, EntityKind> = {
  leadId: 'lead',
  orderId: 'order',
  allocationId: 'allocation',
  participantId: 'participant',
  buyerId: 'participant',
  sellerId: 'participant',
  batchId: 'batch',
  payoutId: 'payout',
  pingId: 'ping',
  listId: 'doNotContactList',
};

/** Streams whose id is an entity id: `lead-<leadId>`, `return-<allocationId>` … */
const STREAM_KINDS: Record<string, EntityKind> = {
  lead: 'lead',
  batch: 'batch',
  participant: 'participant',
  buyer: 'participant',
  return: 'allocation',
  settlement: 'allocation',
  conversion: 'allocation',
  payout: 'payout',
  ping: 'ping',
  dncList: 'doNotContactList',
  authenticity: 'authenticitySample',
};

/** The reason the sellers app gives a lead it withdrew because a do-not-contact list names it (§4.3). */
const DO_NOT_CONTACT_REASON = /^do_not_contact: on list (\S+)$/;

/**
 * Every entity an event touches: the entity its stream belongs to, the ids its data names, the
 * orders whose bids it cites as evidence (an allocation's competing bids), what a replacement
 * order replaces, the ping a posted lead follows and the do-not-contact list that withdrew a lead. Pure; the audit
 * index stores one row per reference so a timeline is an index lookup, not a log scan.
 */
export function referencedEntities(streamName: string, data: unknown): EntityReference[] {
  const found = new Map<string, EntityReference>();
  const add = (kind: EntityKind, id: unknown) => {
    if (typeof id === 'string' && id.length > 0 && id.length <= 160) found.set(`${kind}:${id}`, { kind, id });
  };
  const dash = streamName.indexOf('-');
  const streamKind = STREAM_KINDS[streamName.slice(0, dash)];
  if (streamKind) add(streamKind, streamName.slice(dash + 1));
  if (data && typeof data === 'object') {
    for (const [field, value] of Object.entries(data as Record<string, unknown>)) {
      const kind = FIELD_KINDS[field];
      if (kind) add(kind, value);
    }
    const bids = (data as { competingBids?: unknown }).competingBids;
    if (Array.isArray(bids)) for (const bid of bids) add('order', (bid as { orderId?: unknown }).orderId);
    // A replacement order names the returned lead's allocation and order it replaces.
    const replaced = (data as { replacementFor?: { orderId?: unknown; allocationId?: unknown } })
      .replacementFor;
    if (replaced && typeof replaced === 'object') {
      add('order', replaced.orderId);
      add('allocation', replaced.allocationId);
    }
    // A lead posted after a ping (LeadListed `posted`), and a post's outcome, name the ping.
    for (const field of ['posted', 'ping'] as const) {
      const nested = (data as Record<string, { pingId?: unknown } | undefined>)[field];
      if (nested && typeof nested === 'object') add('ping', nested.pingId);
    }
    // A lead withdrawn because a list names it belongs to the list's history too.
    const reason = (data as { reason?: unknown }).reason;
    const list = typeof reason === 'string' ? DO_NOT_CONTACT_REASON.exec(reason) : null;
    if (list) add('doNotContactList', list[1]);
  }
  return [...found.values()].sort((a, b) => (a.kind + a.id < b.kind + b.id ? -1 : 1));
}
