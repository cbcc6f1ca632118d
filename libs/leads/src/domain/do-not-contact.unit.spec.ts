import { describe, expect, it } from '@jest/globals';
import { DNC_FINGERPRINTS_PER_EVENT } from '#lx/contracts';
import {
  chunkFingerprints,
  doNotContactDecider,
  listApplies,
  type DoNotContactEvent,
  type DoNotContactListState,
} from './do-not-contact.js';
import { consentIsStale } from './verify-lead-row.js';

const at = (iso: string) => new Date(iso);
const fp = (n: number) => n.toString(16).padStart(64, '0');
const context = (now: string) => ({ now: at(now), newId: () => 'unused' });
const fold = (events: readonly DoNotContactEvent[]): DoNotContactListState =>
  events.reduce(doNotContactDecider.evolve, doNotContactDecider.initialState);

describe('which do-not-contact list applies', () => {
  const global = { vertical: null, expiresAt: at('2026-06-01T00:00:00Z'), endedAt: null };
  const eyewear = { ...global, vertical: 'eyewear' };

  it('applies a global list to every market, a market list to its market only', () => {
    expect(listApplies(global, 'eyewear', at('2026-05-01T00:00:00Z'))).toBe(true);
    expect(listApplies(global, 'auto_insurance', at('2026-05-01T00:00:00Z'))).toBe(true);
    expect(listApplies(eyewear, 'eyewear', at('2026-05-01T00:00:00Z'))).toBe(true);
    expect(listApplies(eyewear, 'auto_insurance', at('2026-05-01T00:00:00Z'))).toBe(false);
  });

  it('stops applying at its expiry, and once ended', () => {
    expect(listApplies(global, 'eyewear', at('2026-05-31T23:59:59.999Z'))).toBe(true);
    expect(listApplies(global, 'eyewear', at('2026-06-01T00:00:00Z'))).toBe(false);
    const ended = { ...global, endedAt: at('2026-05-10T00:00:00Z') };
    expect(listApplies(ended, 'eyewear', at('2026-05-09T00:00:00Z'))).toBe(true);
    expect(listApplies(ended, 'eyewear', at('2026-05-10T00:00:00Z'))).toBe(false);
  });
});

describe('consent freshness', () => {
  const now = at('2026-03-31T12:00:00Z');
  it('has no limit unless the market sets one', () => {
    expect(consentIsStale(at('2000-01-01T00:00:00Z'), now, null)).toBe(false);
    expect(consentIsStale(at('2000-01-01T00:00:00Z'), now, undefined)).toBe(false);
  });
  it('refuses consent older than the limit, judged at verification time', () => {
    expect(consentIsStale(at('2026-03-01T12:00:00Z'), now, 30)).toBe(false);
    expect(consentIsStale(at('2026-03-01T11:59:59Z'), now, 30)).toBe(true);
  });
});

describe('chunking a list into events', () => {
  it('keeps each contact in one chunk and no chunk above the limit', () => {
    const contacts = Array.from({ length: 7 }, (_, i) => [fp(2 * i), fp(2 * i + 1)]);
    const chunks = chunkFingerprints(contacts, 5);
    expect(chunks.map((chunk) => chunk.contacts)).toEqual([2, 2, 2, 1]);
    expect(chunks.every((chunk) => chunk.fingerprints.length <= 5)).toBe(true);
    expect(chunks.flatMap((chunk) => chunk.fingerprints)).toEqual(contacts.flat());
  });

  it('puts 10⁵ contacts in events of at most DNC_FINGERPRINTS_PER_EVENT fingerprints', () => {
    const contacts = Array.from({ length: 100_000 }, (_, i) => [fp(i)]);
    const chunks = chunkFingerprints(contacts);
    expect(chunks).toHaveLength(Math.ceil(100_000 / DNC_FINGERPRINTS_PER_EVENT));
    expect(chunks.reduce((sum, chunk) => sum + chunk.contacts, 0)).toBe(100_000);
  });
});

describe('the list decider', () => {
  const created: DoNotContactEvent = {
    type: 'DoNotContactListCreated',
    data: {
      listId: 'l1',
      name: 'DNC',
      vertical: null,
      expiresAt: '2026-06-01T00:00:00.000Z',
      createdBy: 'op',
    },
  };
  const create = {
    type: 'CreateList' as const,
    listId: 'l1',
    name: 'DNC',
    vertical: null,
    expiresAt: at('2026-06-01T00:00:00Z'),
    actor: 'op',
  };

  it('creates a list once, with an expiry in the future', () => {
    expect(doNotContactDecider.decide(create, fold([]), context('2026-05-01T00:00:00Z'))).toEqual([created]);
    expect(() =>
      doNotContactDecider.decide(create, fold([created]), context('2026-05-01T00:00:00Z')),
    ).toThrow(/exists already/);
    expect(() => doNotContactDecider.decide(create, fold([]), context('2026-06-01T00:00:00Z'))).toThrow(
      /in the future/,
    );
  });

  it('creates a list with its entries in one append (a list sent as a file)', () => {
    const contacts = [[fp(1)], [fp(2), fp(3)]];
    expect(
      doNotContactDecider.decide({ ...create, contacts }, fold([]), context('2026-05-01T00:00:00Z')),
    ).toEqual([
      created,
      {
        type: 'DoNotContactEntriesAdded',
        data: { listId: 'l1', contacts: 2, fingerprints: [fp(1), fp(2), fp(3)] },
      },
    ]);
    expect(() =>
      doNotContactDecider.decide({ ...create, contacts }, fold([]), context('2026-06-01T00:00:00Z')),
    ).toThrow(/in the future/);
  });

  it('adds entries to a list in force only', () => {
    const add = { type: 'AddEntries' as const, listId: 'l1', contacts: [[fp(1)], [fp(2), fp(3)]] };
    expect(() => doNotContactDecider.decide(add, fold([]), context('2026-05-01T00:00:00Z'))).toThrow(
      /not found/,
    );
    expect(doNotContactDecider.decide(add, fold([created]), context('2026-05-01T00:00:00Z'))).toEqual([
      {
        type: 'DoNotContactEntriesAdded',
        data: { listId: 'l1', contacts: 2, fingerprints: [fp(1), fp(2), fp(3)] },
      },
    ]);
    expect(() => doNotContactDecider.decide(add, fold([created]), context('2026-06-02T00:00:00Z'))).toThrow(
      /expired/,
    );
    const ended: DoNotContactEvent = {
      type: 'DoNotContactListEnded',
      data: { listId: 'l1', endedAt: '2026-05-02T00:00:00.000Z', endedBy: 'op' },
    };
    expect(() =>
      doNotContactDecider.decide(add, fold([created, ended]), context('2026-05-03T00:00:00Z')),
    ).toThrow(/ended/);
  });

  it('ends a list once', () => {
    const end = { type: 'EndList' as const, listId: 'l1', actor: 'op' };
    const [ended] = doNotContactDecider.decide(end, fold([created]), context('2026-05-02T00:00:00Z'));
    expect(ended).toEqual({
      type: 'DoNotContactListEnded',
      data: { listId: 'l1', endedAt: '2026-05-02T00:00:00.000Z', endedBy: 'op' },
    });
    expect(doNotContactDecider.decide(end, fold([created, ended!]), context('2026-05-03T00:00:00Z'))).toEqual(
      [],
    );
    expect(() => doNotContactDecider.decide(end, fold([]), context('2026-05-03T00:00:00Z'))).toThrow(
      /not found/,
    );
  });
});
