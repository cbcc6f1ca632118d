import { generateLeadRows, pingFieldsOf } from '#lx/market-generator';
import type { Actor, DemoClient } from './exchange-client.js';
import { heading, line, money, short } from './print.js';

/**
 * Real-time selling (docs/architecture.md §5.2): a landing page's seller pings with a lead's
 * anonymous attributes, hears the price the market would pay now, then posts the lead with the
 * ping's id and hears in the same response that it sold. Two buyers bid for this seller's leads
 * only, so that nothing else in the market is touched and the second price shows.
 */
export async function realTimeSelling(
  client: DemoClient,
  op: string,
  buyers: { retailer: Actor; newsletter: Actor },
  names: Map<string, string>,
): Promise<void> {
  heading('Real time: a ping, then a lead posted and sold in the same response');
  const landing = await client.register('seller', 'Landing Page Leads LLC', 'RU');
  names.set(landing.id, landing.name);
  const bids: [Actor, number][] = [
    [buyers.retailer, 90_000],
    [buyers.newsletter, 75_000],
  ];
  for (const [buyer, bid] of bids) {
    await client.call('buyers', 'POST', `/v1/buyers/${buyer.id}/deposits`, {
      key: op,
      body: { amount: bid, currency: 'RUB', reference: `demo-realtime-${short(buyer.id)}` },
      expect: 201,
    });
    await client.call('buyers', 'POST', '/v1/orders', {
      key: buyer.key,
      body: {
        vertical: 'eyewear',
        filters: { sellersIncluded: [landing.id] },
        bid,
        modifiers: [],
        quantity: 1,
        budget: bid,
        exclusivity: 'any',
        delivery: 'pull',
      },
      expect: 201,
    });
    line(`${buyer.name} bids ${money(bid)} for one lead of ${landing.name}`);
  }
  const [row] = generateLeadRows({
    seed: 'demo-realtime',
    count: 1,
    vertical: 'eyewear',
    country: 'RU',
    capturedAround: new Date(),
    captureWindowMinutes: 5,
    badShare: 0,
    duplicateShare: 0,
    partialShare: 0,
  }).rows;
  const terms = { vertical: 'eyewear', floor: 60_000, exclusivity: 'exclusive' };
  const started = Date.now();
  const ping = await client.call('sellers', 'POST', '/v1/pings', {
    key: landing.key,
    body: { ...terms, lead: pingFieldsOf(row!) },
    expect: 200,
  });
  const pingMs = Date.now() - started;
  line(
    `ping (age ${String(pingFieldsOf(row!).age)}, ${row!.region}, no personal data): ` +
      `${ping.status === 'bid' ? `${money(ping.price)} from ${String(ping.buyers)} buyer` : 'no bid'}, ` +
      `valid until ${String(ping.validUntil)} — answered in ${pingMs} ms`,
  );
  const postedAt = Date.now();
  const posted = await client.call('sellers', 'POST', '/v1/leads', {
    key: landing.key,
    body: { ...terms, externalId: row!.external_id, pingId: ping.pingId, lead: row },
    expect: 200,
  });
  const postMs = Date.now() - postedAt;
  line(
    `post ${row!.external_id} with the ping: ${String(posted.status)} to ${String(posted.buyers)} buyer at ` +
      `${money(posted.price)}, seller's proceeds ${money(posted.proceeds)} (ping ${posted.ping?.honoured ? 'honoured' : `not honoured: ${String(posted.ping?.refusal)}`}) — answered in ${postMs} ms`,
  );
  line(`outcome kept at ${String(posted.outcomeUrl)}`);
}
