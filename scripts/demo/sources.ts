import type { LeadRow } from '#lx/market-generator';
import type { Actor, DemoClient } from './exchange-client.js';
import { heading, line, money, table } from './print.js';

/*
 * Quality by source in the demo (docs/architecture.md §4.2): the Russian seller tags its leads with
 * its own campaigns and affiliates, and at the end both sides read their reports by source.
 */

/** The Russian seller's sources: two ad campaigns and an affiliate network with two sub-ids. */
const SOURCES: [string, string | undefined][] = [
  ['yandex-direct', 'brand'],
  ['yandex-direct', 'generic'],
  ['vk-ads', undefined],
  ['affiliates', 'aff-101'],
  ['affiliates', 'aff-202'],
];

/** The rows tagged round-robin with the seller's sources (deterministic: the demo replays the same market). */
export function tagWithSources(rows: LeadRow[]): LeadRow[] {
  return rows.map((row, i) => {
    const [source, subSource] = SOURCES[i % SOURCES.length]!;
    return { ...row, source, ...(subSource ? { sub_source: subSource } : {}) };
  });
}

const rate = (bps: number | null) => (bps === null ? '—' : `${(bps / 100).toFixed(1)} %`);
const tag = (source: string | null, subSource?: string | null) =>
  `${source ?? '(untagged)'}${subSource === undefined ? '' : ` / ${subSource ?? '—'}`}`;

interface SellerSourceEntry {
  source: string | null;
  listed: number;
  sold: number;
  returned: number;
  returnRateBps: number | null;
  conversions: number;
  averageQuality: number | null;
  proceeds: number;
  subSources: (Omit<SellerSourceEntry, 'source' | 'subSources'> & { subSource: string | null })[];
}

interface BuyerSourceEntry {
  sellerId: string;
  source: string | null;
  leadsBought: number;
  spend: number;
  returnsAccepted: number;
  returnRateBps: number | null;
  conversions: number;
  averageQuality: number | null;
}

/** Prints the seller's report by source and sub-source, and the buyer's per seller and source. */
export async function printSourceReports(
  client: DemoClient,
  seller: Actor,
  buyer: Actor,
  names: Map<string, string>,
): Promise<void> {
  heading('Quality by source: returns, conversions and quality per seller source');
  const mine = (await client.call('sellers', 'GET', '/v1/reports/sources', { key: seller.key }))
    .items as SellerSourceEntry[];
  line(`${seller.name}, GET /v1/reports/sources (sellers app):`);
  table(
    [
      'source / sub-source',
      'listed',
      'sold',
      'returned',
      'return rate',
      'converted',
      'avg quality',
      'proceeds',
    ],
    mine.flatMap((entry) => [
      [
        tag(entry.source),
        entry.listed,
        entry.sold,
        entry.returned,
        rate(entry.returnRateBps),
        entry.conversions,
        entry.averageQuality ?? '—',
        money(entry.proceeds),
      ],
      ...(entry.subSources.length > 1 || entry.subSources[0]?.subSource
        ? entry.subSources.map((sub) => [
            `  ${tag(entry.source, sub.subSource)}`,
            sub.listed,
            sub.sold,
            sub.returned,
            rate(sub.returnRateBps),
            sub.conversions,
            sub.averageQuality ?? '—',
            money(sub.proceeds),
          ])
        : []),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  const bought = (await client.call('buyers', 'GET', '/v1/reports/sources', { key: buyer.key }))
    .items as BuyerSourceEntry[];
  line();
  line(`${buyer.name}, GET /v1/reports/sources (buyers app), per seller and source:`);
  table(
    ['seller', 'source', 'bought', 'spend', 'returned', 'return rate', 'converted', 'avg quality'],
    bought.map((entry) => [
      names.get(entry.sellerId) ?? entry.sellerId,
      tag(entry.source),
      entry.leadsBought,
      money(entry.spend),
      entry.returnsAccepted,
      rate(entry.returnRateBps),
      entry.conversions,
      entry.averageQuality ?? '—',
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  line('An order can take or leave any of them: filters.sourcesIncluded / sourcesExcluded, e.g.');
  line(`  {"sourcesExcluded":[{"sellerId":"${seller.id}","source":"affiliates","subSource":"aff-202"}]}`);
}
