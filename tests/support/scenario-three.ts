// Scenario 3, "the dispute" (docs/scenarios.md), staged through the APIs: shared by
// tests/scenario-3.e2e.spec.ts, which checks every step, and the auditor's console journey,
// which starts where the three contested phone claims reach an auditor.
import { expect } from '@jest/globals';
import { leadRowsToCsv, scenarioOneOrder, type LeadRow } from '#lx/market-generator';
import type { RunningExchange } from './exchange.js';
import {
  confirmDeposit,
  openMarket,
  orderRequest,
  participantCalls,
  pullOrder,
  register,
  scenarioThreeRows,
  waitUntil,
  type Registered,
} from './scenarios.js';
import { uploadVerified } from './sellers.js';

/** The return window the scenario runs with (LX_RETURN_WINDOW_MS): long enough to return 8 in it. */
export const SCENARIO_THREE_WINDOW_MS = 40_000;
export const SCENARIO_THREE_PRICE = 60_000; // 600 RUB
export const SCENARIO_THREE_DEPOSIT = 3_100_000;

/** The buyer's 8 returns: the sellers contest the phone claims; the rules decide the others. */
export const PHONE_CLAIMS = ['anna-02', 'anna-03', 'boris-02'];
export const DUPLICATE_CLAIMS = ['anna-05', 'boris-05'];
export const NOT_INTERESTED = ['anna-06', 'anna-07', 'boris-06'];

export interface ScenarioThreeParties {
  anna: Registered;
  boris: Registered;
  buyer: Registered;
  auditor: Registered;
}

export class ScenarioThree {
  readonly rows = scenarioThreeRows();
  /** Seller's external id (anna-05, boris-02, …) → allocation id. */
  readonly allocationOf = new Map<string, string>();
  private readonly call;
  private registered: ScenarioThreeParties | undefined;

  /** `exchange` is read when a step runs: the tests start it in beforeAll. */
  constructor(private readonly exchange: () => RunningExchange) {
    this.call = participantCalls(exchange);
  }

  private get parties(): ScenarioThreeParties {
    if (!this.registered) throw new Error('ScenarioThree.open() first');
    return this.registered;
  }

  /** Registers the two sellers, the buyer and the auditor, opens both markets, funds the buyer. */
  async open(): Promise<ScenarioThreeParties> {
    const exchange = this.exchange();
    const anna = await register(exchange, 'seller', 'Anna Leads');
    const boris = await register(exchange, 'seller', 'Boris Media');
    const buyer = await register(exchange, 'buyer', 'Optika Premium');
    const auditor = await register(exchange, 'auditor', 'Audit & Co');
    for (const vertical of ['eyewear', 'insurance']) await openMarket(exchange, vertical);
    await confirmDeposit(exchange, buyer, SCENARIO_THREE_DEPOSIT, 'wire-0001');
    this.registered = { anna, boris, buyer, auditor };
    return this.registered;
  }

  /** Lists the rows at the scenario's price; every one of them is accepted. */
  async listBatch(seller: Registered, rows: LeadRow[], vertical: string): Promise<void> {
    const { batch } = await uploadVerified(this.exchange(), {
      key: seller.apiKey,
      body: leadRowsToCsv(rows),
      query: `vertical=${vertical}&floor=${SCENARIO_THREE_PRICE}&exclusivity=exclusive`,
    });
    expect(batch.progress).toMatchObject({ accepted: rows.length, rejected: 0 });
  }

  /** Waits until the buyer holds `count` purchases of the order; maps them to the sellers' external ids. */
  async purchasesOf(order: string, count: number): Promise<any[]> {
    const { buyer } = this.parties;
    const items = await waitUntil(
      `${count} purchases of order ${order}`,
      async () => {
        const page = await this.call(
          'buyers',
          buyer,
          'GET',
          `/v1/purchased-leads?orderId=${order}&limit=100`,
        );
        return page.body.items?.length >= count ? (page.body.items as any[]) : undefined;
      },
      60_000,
    );
    for (const item of items) {
      const detail = await this.call('buyers', buyer, 'GET', `/v1/purchased-leads/${item.allocationId}`);
      this.allocationOf.set(detail.body.lead.personalData.externalId, item.allocationId);
    }
    return items;
  }

  /** Earlier: Boris lists Irina in insurance and the buyer buys her there; answers the order. */
  async buyIrinaEarlier() {
    await this.listBatch(this.parties.boris, [this.rows.irinaInsurance], 'insurance');
    const placed = await this.call(
      'buyers',
      this.parties.buyer,
      'POST',
      '/v1/orders',
      pullOrder({
        bid: SCENARIO_THREE_PRICE,
        quantity: 1,
        vertical: 'insurance',
        filters: { requiredContacts: ['phone', 'email'] },
      }),
    );
    expect(placed.status).toBe(201);
    return placed;
  }

  /** Now: Anna and Boris list their 50 in eyewear and the buyer places scenario 1's order; answers it. */
  async placeTheOrderForFifty() {
    await this.listBatch(this.parties.anna, this.rows.annaRows, 'eyewear');
    await this.listBatch(this.parties.boris, this.rows.borisRows, 'eyewear');
    const placed = await this.call(
      'buyers',
      this.parties.buyer,
      'POST',
      '/v1/orders',
      orderRequest(scenarioOneOrder()),
    );
    expect(placed.status).toBe(201);
    return placed;
  }

  /** The buyer returns the 8 inside the window, each claim with its reason. */
  async returnTheEight(): Promise<void> {
    const returnAs = async (externalId: string, body: unknown) => {
      const response = await this.call(
        'buyers',
        this.parties.buyer,
        'POST',
        `/v1/purchased-leads/${this.allocationOf.get(externalId)}/return`,
        body,
      );
      expect([externalId, response.status]).toEqual([externalId, 201]);
    };
    for (const id of PHONE_CLAIMS)
      await returnAs(id, {
        reason: 'invalid_phone',
        evidence: [{ kind: 'call_log', description: 'Five calls over two days, number not answering' }],
      });
    for (const id of DUPLICATE_CLAIMS) await returnAs(id, { reason: 'duplicate', evidence: [] });
    for (const id of NOT_INTERESTED)
      await returnAs(id, { reason: 'other', text: 'Was not interested', evidence: [] });
  }

  /** The lead's seller waits for the phone claim in its returns, then contests it; answers the response. */
  async contestPhoneClaim(id: string) {
    const seller = id.startsWith('anna') ? this.parties.anna : this.parties.boris;
    const allocationId = this.allocationOf.get(id);
    await waitUntil(`${id} in the seller’s returns`, async () => {
      const list = await this.call('sellers', seller, 'GET', '/v1/returns');
      return list.body.items?.some((r: any) => r.allocationId === allocationId) || undefined;
    });
    return this.call('sellers', seller, 'POST', `/v1/returns/${allocationId}/response`, {
      position: 'contest',
      statement: 'The number was verified by SMS at capture',
      evidence: [{ kind: 'carrier_lookup', description: 'Carrier lookup at capture: active mobile line' }],
    });
  }

  /** The types of the dispute's events, as the auditor reads them (none while there is no dispute). */
  async eventTypes(allocationId: string): Promise<string[]> {
    const response = await this.call(
      'settlement',
      this.parties.auditor,
      'GET',
      `/v1/disputes/${allocationId}`,
    );
    return response.status === 200 ? response.body.events.map((e: { type: string }) => e.type) : [];
  }

  /** Waits until settlement has escalated every contested phone claim to an auditor. */
  async phoneClaimsEscalated(): Promise<void> {
    await waitUntil('the escalations', async () =>
      (await Promise.all(PHONE_CLAIMS.map((id) => this.eventTypes(this.allocationOf.get(id)!)))).every(
        (types) => types.at(-1) === 'ReturnEscalated',
      ),
    );
  }
}
