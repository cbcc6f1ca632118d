import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { generateLeadRows } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { listExclusiveEyewear, registerParticipant, type Participant } from './support/sellers.js';

/**
 * Rotating the fingerprint key: the suppression list and the exchange's claims were made under
 * the old key and cannot be recomputed (the contacts are not kept), so after the rotation every
 * check still finds them — while new fingerprints are made, and recorded, under the new key.
 */
describe('rotating the fingerprint key loses no suppression, duplicate or revocation', () => {
  const oldKey = randomBytes(32).toString('hex');
  const newKey = randomBytes(32).toString('hex');
  const [suppressed, listed, fresh] = generateLeadRows({
    seed: 'fingerprint-rotation',
    count: 3,
    vertical: 'eyewear',
    capturedAround: new Date(),
    country: 'mixed',
    partialShare: 0,
    duplicateShare: 0,
    badShare: 0,
  }).rows;
  let exchange: RunningExchange;
  let seller: Participant;
  let listedLeadId: string;

  beforeAll(async () => {
    const before = await startExchange('fp_rotation', { LX_FINGERPRINT_KEY: oldKey });
    try {
      seller = await registerParticipant(before, 'seller', 'Rotation Seller SL');
      const suppression = await before.call('sellers', 'POST', '/v1/suppressions', {
        key: before.operatorKey,
        body: {
          entries: [{ phone: suppressed!.phone, country: suppressed!.country }],
          reason: 'do_not_contact',
        },
      });
      expect(suppression.status).toBe(200);
      const { leads } = await listExclusiveEyewear(before, seller.apiKey, [listed!], 60_000);
      listedLeadId = leads[0].leadId;
    } finally {
      await before.stopApps();
    }
    exchange = await startExchange(
      'fp_rotation',
      {
        LX_FINGERPRINT_KEY: newKey,
        LX_FINGERPRINT_KEY_VERSION: '2',
        LX_FINGERPRINT_PREVIOUS_KEYS: `1:${oldKey}`,
      },
      before.database,
    );
  });
  afterAll(async () => exchange?.stop());

  it('refuses the suppressed person and the duplicate after the rotation, and lists the rest under the new key', async () => {
    const again = [
      { ...suppressed!, external_id: 'suppressed-again' },
      { ...listed!, external_id: 'listed-again' },
      fresh!,
    ];
    const { batch, leads } = await listExclusiveEyewear(exchange, seller.apiKey, again, 60_000);
    expect(batch.reasons).toEqual({ suppressed: 1, duplicate_on_exchange: 1 });
    expect(leads).toHaveLength(1);
  });

  it('finds and erases a lead fingerprinted under the old key when its person revokes consent', async () => {
    const revoked = await exchange.call('sellers', 'POST', '/v1/consumer-revocations', {
      key: exchange.operatorKey,
      body: { phone: listed!.phone, country: listed!.country },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.leadsErased).toContain(listedLeadId);
  });
});
