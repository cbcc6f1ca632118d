import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from './event-store.port.js';
import type { EventTypeRegistry } from './event-type-registry.js';
import {
  EventSchemaError,
  EventStreamMismatchError,
  EventTooLargeError,
  InvalidEventError,
  UnknownEventTypeError,
} from './errors.js';
import { assertValidStreamName, streamCategory } from './stream-name.js';
import { contentDigest, contentDigestOfCanonical } from './hash-chain.js';
import { canonicalJson, plainCanonicalJson } from '#lx/canonical-json';

export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
export const MAX_EVENTS_PER_APPEND = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PreparedEvent {
  id: string;
  type: string;
  streamName: string;
  category: string;
  data: unknown;
  metadata: EventMetadata;
  digest: string;
  /** `data` and `metadata` serialised once, for adapters to send as they are. */
  dataJson: string;
  metadataJson: string;
}

export interface PrepareOptions {
  registry: EventTypeRegistry;
  maxEventBytes?: number;
  now?: () => Date;
}

/**
 * Validates a whole append before anything is written (one bad event → none written) and fills
 * in ids and metadata. Shared by every adapter so they refuse exactly the same input.
 */
export function prepareAppend(
  stream: string,
  events: readonly NewEvent[],
  options: PrepareOptions,
): PreparedEvent[] {
  assertValidStreamName(stream);
  if (!Array.isArray(events) || events.length === 0)
    throw new InvalidEventError('An append needs at least one event');
  if (events.length > MAX_EVENTS_PER_APPEND)
    throw new InvalidEventError(`An append holds at most ${MAX_EVENTS_PER_APPEND} events`);
  const category = streamCategory(stream);
  const limit = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const now = (options.now ?? (() => new Date()))().toISOString();
  const seen = new Set<string>();
  const streamCanonical = canonicalJson(stream);

  return events.map((event) => {
    const descriptor = options.registry.describe(event.type);
    if (!descriptor) throw new UnknownEventTypeError(String(event.type));
    if (descriptor.categories.length > 0 && !descriptor.categories.includes(category))
      throw new EventStreamMismatchError(event.type, stream, descriptor.categories);
    const checked = descriptor.validate(event.data);
    if (!checked.ok) throw new EventSchemaError(event.type, checked.issues);

    // A generated id is a lower-case UUID already.
    const given = event.id !== undefined && event.id !== null;
    const id = given ? event.id! : randomUUID();
    if (given && !UUID.test(id))
      throw new InvalidEventError(`Event id "${String(id).slice(0, 80)}" is not a UUID`);
    const lowerId = given ? id.toLowerCase() : id;
    if (seen.has(lowerId)) throw new InvalidEventError(`Event id ${id} appears twice in one append`);
    seen.add(lowerId);

    const metadata: EventMetadata = {
      correlationId: event.metadata?.correlationId ?? id,
      causationId: event.metadata?.causationId ?? null,
      actor: event.metadata?.actor ?? 'system',
      occurredAt: event.metadata?.occurredAt ?? now,
      schemaVersion: descriptor.schemaVersion,
    };
    // Plain JSON data is serialised once: its canonical text is what is hashed and what is
    // stored (the same JSON value as JSON.stringify's text, keys sorted). Anything else keeps
    // both texts, as it always did.
    const data = checked.value;
    const dataCanonical = plainCanonicalJson(data);
    const metadataCanonical = plainCanonicalJson(metadata);
    const dataJson = dataCanonical ?? JSON.stringify(data);
    const metadataJson = metadataCanonical ?? JSON.stringify(metadata);
    const size = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
    if (size > limit) throw new EventTooLargeError(event.type, size, limit);
    if (dataJson.includes('\\u0000'))
      throw new EventSchemaError(event.type, ['text may not contain the NUL character']);

    const digest =
      dataCanonical !== null && metadataCanonical !== null
        ? contentDigestOfCanonical(
            dataCanonical,
            canonicalJson(lowerId),
            metadataCanonical,
            streamCanonical,
            canonicalJson(event.type),
          )
        : contentDigest({ id: lowerId, type: event.type, streamName: stream, data, metadata });
    return {
      id: lowerId,
      type: event.type,
      streamName: stream,
      category,
      data,
      metadata,
      digest,
      dataJson,
      metadataJson,
    };
  });
}
