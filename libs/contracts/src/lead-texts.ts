import type { z } from 'zod';
import { PersonalDataEnvelope } from './events/leads.js';

type Envelope = z.output<typeof PersonalDataEnvelope>;

/** What a sealed text shows once its lead was erased. */
export const ERASED_TEXT = '(erased)';
/** What a sealed text shows where no vault opens it (the audit: personal data is in no report). */
export const SEALED_TEXT = "(sealed under the lead's key, not shown)";

function isEnvelope(value: unknown): value is Envelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { algorithm?: unknown }).algorithm === 'AES-256-GCM' &&
    PersonalDataEnvelope.safeParse(value).success
  );
}

function collect(value: unknown, found: Envelope[]): void {
  if (isEnvelope(value)) found.push(value);
  else if (Array.isArray(value)) for (const item of value) collect(item, found);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) collect(item, found);
}

function replace(value: unknown, opened: Map<Envelope, string>, otherwise: string): unknown {
  if (isEnvelope(value)) return opened.get(value) ?? otherwise;
  if (Array.isArray(value)) return value.map((item) => replace(item, opened, otherwise));
  if (typeof value === 'object' && value !== null && !(value instanceof Date))
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replace(item, opened, otherwise)]),
    );
  return value;
}

/** Replaces every sealed free text in `value` by `marker`, without opening any. */
export function maskLeadTexts<T>(value: T, marker: string): T {
  return replace(value, new Map(), marker) as T;
}

/**
 * Shows the sealed free texts of events or rows (a `LeadText`: return evidence, a seller's
 * statement): each is replaced by its clear text, or by `ERASED_TEXT` once its key is gone or
 * `open` cannot read it (no vault at hand). Texts written in clear before sealing pass unchanged.
 */
export async function revealLeadTexts<T>(
  value: T,
  open: (envelopes: Envelope[]) => Promise<(unknown | null)[]>,
): Promise<T> {
  const envelopes: Envelope[] = [];
  collect(value, envelopes);
  if (envelopes.length === 0) return value;
  const texts = await open(envelopes);
  const opened = new Map<Envelope, string>();
  envelopes.forEach((envelope, index) => {
    const text = texts[index];
    if (typeof text === 'string') opened.set(envelope, text);
  });
  return replace(value, opened, ERASED_TEXT) as T;
}
