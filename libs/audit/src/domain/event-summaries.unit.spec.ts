import { describe, expect, it } from '@jest/globals';
import { summariseEvent } from './event-summaries.js';

const fingerprint = (n: number) => n.toString(16).padStart(64, '0');

describe('event summaries', () => {
  it('says what a do-not-contact list did, counting its contacts and never showing them', () => {
    expect(
      summariseEvent('DoNotContactListCreated', {
        listId: 'd1',
        name: 'Regulator register',
        vertical: null,
        expiresAt: '2030-01-01T00:00:00.000Z',
        createdBy: 'op',
      }),
    ).toBe(
      'Do-not-contact list "Regulator register" created for every market, in force until 2030-01-01T00:00:00.000Z',
    );
    const added = summariseEvent('DoNotContactEntriesAdded', {
      listId: 'd1',
      contacts: 2,
      fingerprints: [fingerprint(1), fingerprint(2), fingerprint(3)],
    });
    expect(added).toBe(
      '2 contacts added to the list as 3 keyed fingerprints (the phones and e-mails themselves are never kept)',
    );
    expect(added).not.toContain(fingerprint(1));
    expect(
      summariseEvent('DoNotContactEntriesAdded', { listId: 'd1', contacts: 1, fingerprints: 1 }),
    ).toMatch(/^1 contact added to the list as 1 keyed fingerprint /);
    expect(
      summariseEvent('DoNotContactListEnded', { listId: 'd1', endedAt: '2030-01-01T00:00:00.000Z' }),
    ).toMatch(/^Do-not-contact list ended at 2030-01-01T00:00:00.000Z/);
  });

  it('says what a ping asked and what the market answered, and how a posted lead fared', () => {
    expect(
      summariseEvent('PingReceived', {
        attributes: { vertical: 'eyewear' },
        floor: 60000,
        currency: 'RUB',
        exclusivity: { kind: 'exclusive' },
        quality: { score: 72, parts: {} },
      }),
    ).toBe(
      'Ping: what would the eyewear market pay now for an exclusive lead at a floor of 600.00 RUB (quality 72)',
    );
    expect(
      summariseEvent('PingAnswered', {
        outcome: 'bid',
        sales: 1,
        price: 42000,
        currency: 'RUB',
        validUntil: '2030-01-01T00:00:10.000Z',
      }),
    ).toBe('Ping answered: 1 buyer would pay 420.00 RUB each, if listed by 2030-01-01T00:00:10.000Z');
    expect(summariseEvent('PingAnswered', { outcome: 'no_bid', reason: 'no_eligible_order' })).toBe(
      'Ping answered: no bid (no eligible order)',
    );
    expect(
      summariseEvent('LeadPostOutcome', {
        outcome: 'sold',
        currency: 'RUB',
        sales: [{ price: 42000 }],
        ping: { pingId: 'p1', honoured: true, price: 42000 },
      }),
    ).toBe('Posted lead sold: 1 sale, 420.00 RUB in all; its ping was honoured at 420.00 RUB');
    expect(
      summariseEvent('LeadPostOutcome', {
        outcome: 'resting',
        currency: 'RUB',
        sales: [],
        ping: { pingId: 'p1', honoured: false, refusal: 'ping_expired' },
      }),
    ).toBe('Posted lead resting: no order bought it yet; its ping was not honoured (ping expired)');
    expect(summariseEvent('LeadPostRejected', { reasons: ['under_age', 'invalid_phone'] })).toBe(
      'Posted lead rejected by verification: under_age, invalid_phone',
    );
  });

  it('says how an authenticity sample was drawn, checked and decided', () => {
    expect(
      summariseEvent('AuthenticitySampleDrawn', {
        rule: 'sha256-batch-lead-v1',
        population: 40,
        samplePercent: 10,
        sampleMin: 3,
        holdThresholdPercent: 20,
        leadIds: ['l1', 'l2', 'l3', 'l4'],
      }),
    ).toBe(
      "Authenticity sample drawn: 4 leads of the batch's 40 accepted (rule sha256-batch-lead-v1: 10 %, at least 3; held above 20 % failures)",
    );
    expect(
      summariseEvent('AuthenticityCheckAnswered', {
        outcome: 'denied',
        answeredBy: { kind: 'staff', id: 'op' },
      }),
    ).toBe('Contact check answered: denied, by verification staff');
    expect(
      summariseEvent('AuthenticitySampleHeld', { failed: 2, sampled: 4, holdThresholdPercent: 20 }),
    ).toBe('Batch held from sale: 2 of 4 checks failed, above 20 %');
    expect(summariseEvent('AuthenticityHoldDecided', { decision: 'released' })).toBe(
      'Hold decided: the batch is back on sale',
    );
    expect(summariseEvent('AuthenticityHoldDecided', { decision: 'withdrawn' })).toMatch(/withdrawn/);
    expect(
      summariseEvent('AuthenticitySamplePassed', {
        confirmed: 3,
        failed: 1,
        sampled: 4,
        holdThresholdPercent: 30,
      }),
    ).toBe('Authenticity sample passed: 3 confirmed, 1 failed of 4 (within 30 %)');
  });

  it('leaves the events whose data reads as it is without a summary', () => {
    expect(summariseEvent('LeadAllocated', { price: 1 })).toBeNull();
    expect(summariseEvent('PingAnswered', null)).toBeNull();
  });
});
