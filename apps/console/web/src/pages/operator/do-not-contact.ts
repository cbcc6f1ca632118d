import type { components } from '../../api/generated/sellers';

/*
 * A pasted do-not-contact list (docs/architecture.md §4.3) read into the entries the sellers app
 * takes: one phone or e-mail a line (commas and semicolons separate too). The exchange normalises
 * and fingerprints them; the console only splits the text and catches what cannot be a contact.
 */

export type ContactEntry = components['schemas']['PersonContacts'];

/** The most contacts one request adds (the sellers app's DNC_CONTACTS_PER_REQUEST). */
export const CONTACTS_PER_REQUEST = 20_000;

export interface PastedContacts {
  entries: ContactEntry[];
  /** The line (1-based) each entry came from, to name it when the exchange refuses one. */
  lines: number[];
  /** Lines that are neither a phone nor an e-mail. */
  badLines: number[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Digits with the usual separators, a leading + allowed: what a phone number looks like. */
const PHONE = /^\+?[\d\s().-]{3,40}$/;

/** Splits the pasted text; `country` (ISO 3166-1) reads phones written without their country code. */
export function parseContacts(text: string, country = ''): PastedContacts {
  const entries: ContactEntry[] = [];
  const lines: number[] = [];
  const badLines: number[] = [];
  const region = country.trim().toUpperCase();
  text.split(/\r?\n/).forEach((line, index) => {
    for (const part of line.split(/[,;]/)) {
      const contact = part.trim();
      if (contact === '') continue;
      if (contact.includes('@')) {
        if (EMAIL.test(contact) && contact.length <= 254) entries.push({ email: contact });
        else {
          badLines.push(index + 1);
          continue;
        }
      } else if (PHONE.test(contact) && (contact.match(/\d/g) ?? []).length >= 5) {
        entries.push(region ? { phone: contact, country: region } : { phone: contact });
      } else {
        badLines.push(index + 1);
        continue;
      }
      lines.push(index + 1);
    }
  });
  return { entries, lines, badLines: [...new Set(badLines)] };
}

/**
 * The lines the exchange refused, from its field names (`entries.<index>.phone`): the exchange
 * names an entry by its index and field, never its value.
 */
export function refusedLines(errors: { field: string; messages: string[] }[], lines: number[]) {
  return errors.flatMap(({ field, messages }) => {
    const match = /^entries\.(\d+)/.exec(field);
    const line = match ? lines[Number(match[1])] : undefined;
    return line === undefined ? [] : [{ line, messages }];
  });
}
