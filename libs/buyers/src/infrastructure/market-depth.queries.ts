import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ORDER_EXCLUSIVITIES } from '#lx/contracts';
import { CompiledFilters } from '#lx/matching';
import {
  leadMatchesFilters,
  MIN_SEGMENT_COUNT,
  type LeadAttributesData,
  type OrderFiltersData,
} from '../domain/lead-filters.js';
import { previewSchedule } from '../domain/schedule-preview.js';
import type { DeliveryScheduleData } from '#lx/contracts';
import type { DepthSegment, FloorBar, MarketDepth, OrderPreview } from '../application/buyer-views.js';

export type { DepthSegment, FloorBar, MarketDepth, OrderPreview };

const HISTOGRAM_BARS = 10;

/** Floors (sorted ascending) as bars: one per floor when they are few, else equal-width ranges. */
export function floorHistogram(sorted: number[]): FloorBar[] {
  if (sorted.length === 0) return [];
  const distinct = [...new Set(sorted)];
  if (distinct.length <= HISTOGRAM_BARS)
    return distinct.map((floor) => ({
      from: floor,
      to: floor,
      leads: sorted.filter((f) => f === floor).length,
    }));
  const min = sorted[0]!;
  const width = Math.ceil((sorted.at(-1)! - min + 1) / HISTOGRAM_BARS);
  const bars = Array.from({ length: HISTOGRAM_BARS }, (_, i) => ({
    from: min + i * width,
    to: min + (i + 1) * width - 1,
    leads: 0,
  }));
  for (const floor of sorted) bars[Math.min(HISTOGRAM_BARS - 1, Math.floor((floor - min) / width))]!.leads++;
  return bars.filter((bar) => bar.leads > 0);
}

interface RestingRow {
  seller_id: string;
  attributes: LeadAttributesData;
  quality: number;
  seller_quality: number;
  floor: string;
  currency: string;
  exclusive: boolean;
}

/** Reads of the resting inventory (`buyer_market_depth`); non-personal attributes only. */
@Injectable()
export class MarketDepthQueries {
  constructor(private readonly dataSource: DataSource) {}

  async preview(
    vertical: string,
    filters: OrderFiltersData,
    options: {
      bid?: number;
      exclusivity?: (typeof ORDER_EXCLUSIVITIES)[number];
      schedule?: DeliveryScheduleData;
      now: Date;
    },
  ): Promise<OrderPreview> {
    // The region index narrows the scan; every filter is then checked by the same pure rule set.
    const rows: RestingRow[] = await this.dataSource.query(
      `SELECT seller_id, attributes, quality, seller_quality, floor::text AS floor, currency, exclusive FROM resting_lead
        WHERE vertical = $1 AND expires_at > $2 AND ($3::text[] IS NULL OR region = ANY($3))`,
      [vertical, options.now.toISOString(), filters.regions ?? null],
    );
    const wanted = options.exclusivity ?? 'any';
    const compiled = new CompiledFilters(filters);
    const matching = rows.filter(
      (row) =>
        (wanted === 'any' || (wanted === 'exclusive_only') === row.exclusive) &&
        leadMatchesFilters(
          {
            sellerId: row.seller_id,
            attributes: row.attributes,
            quality: row.quality,
            sellerQuality: row.seller_quality,
          },
          compiled,
          options.now,
        ),
    );
    const floors = matching.map((row) => Number(row.floor)).sort((a, b) => a - b);
    return {
      vertical,
      matching: matching.length,
      matchingAtOrBelowBid:
        options.bid === undefined ? null : floors.filter((floor) => floor <= options.bid!).length,
      floors:
        floors.length === 0
          ? null
          : {
              currency: matching[0]!.currency,
              min: floors[0]!,
              median: floors[Math.floor((floors.length - 1) / 2)]!,
              max: floors.at(-1)!,
            },
      floorHistogram: floorHistogram(floors),
      exclusive: matching.filter((row) => row.exclusive).length,
      shared: matching.filter((row) => !row.exclusive).length,
      schedule: options.schedule === undefined ? null : previewSchedule(options.schedule, options.now),
    };
  }

  async depth(vertical: string, now: Date): Promise<MarketDepth> {
    const rows: { region: string | null; age_band: string; contacts: string; leads: string }[] =
      await this.dataSource.query(
        `SELECT region, age_band, contacts, count(*)::text AS leads FROM resting_lead
          WHERE vertical = $1 AND expires_at > $2
          GROUP BY region, age_band, contacts ORDER BY region NULLS LAST, age_band, contacts`,
        [vertical, now.toISOString()],
      );
    const segments = rows.map((row) => ({
      region: row.region,
      ageBand: row.age_band,
      contacts: row.contacts,
      leads: Number(row.leads),
    }));
    return {
      vertical,
      segments: segments.filter((segment) => segment.leads >= MIN_SEGMENT_COUNT),
      suppressedSegments: segments.filter((segment) => segment.leads < MIN_SEGMENT_COUNT).length,
      minimumSegmentCount: MIN_SEGMENT_COUNT,
    };
  }
}
