import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { comparePositions, formatPosition, type LogPosition } from '#lx/event-store';
import { readCheckpoint } from '#lx/projections';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthenticityReads,
  type AuthenticitySampleRow,
  type AuthenticitySourceRow,
  type AuthenticityTaskRow,
  type SamplingLeadRow,
  type SamplingSettingsRow,
  type SourceStatusRow,
} from '../application/authenticity-reads.port.js';
import { AUTHENTICITY_SCHEMA } from './authenticity.projection.js';

type TaskRecord = Record<string, unknown>;

const TASK_COLUMNS = `lead_id, batch_id, seller_id, vertical, rank, by_batch, by_source, source, source_id, outcome,
  answered_by_kind, answered_by, answered_at, quality_listed, quality_checked,
  pos_commit::text AS pc, pos_prepare::text AS pp`;

function taskOf(row: TaskRecord): AuthenticityTaskRow {
  return {
    batchId: row.batch_id as string,
    leadId: row.lead_id as string,
    sellerId: row.seller_id as string,
    vertical: row.vertical as string,
    rank: Number(row.rank),
    drawnBy: [...(row.by_batch ? (['batch'] as const) : []), ...(row.by_source ? (['source'] as const) : [])],
    source: (row.source as string | null) ?? null,
    sourceId: (row.source_id as string | null) ?? null,
    outcome: (row.outcome as AuthenticityTaskRow['outcome']) ?? null,
    answeredBy: row.answered_by
      ? { kind: row.answered_by_kind as 'staff' | 'provider', id: row.answered_by as string }
      : null,
    answeredAt: row.answered_at ? new Date(row.answered_at as string).toISOString() : null,
    qualityListed: row.quality_listed === null ? null : Number(row.quality_listed),
    qualityChecked: row.quality_checked === null ? null : Number(row.quality_checked),
    position: { commit: row.pc as string, prepare: row.pp as string },
  };
}

function sampleOf(row: TaskRecord): AuthenticitySampleRow {
  return {
    batchId: row.batch_id as string,
    sellerId: row.seller_id as string,
    vertical: row.vertical as string,
    status: row.status as AuthenticitySampleRow['status'],
    population: Number(row.population),
    sampled: Number(row.sampled),
    answered: Number(row.answered),
    confirmed: Number(row.confirmed),
    failed: Number(row.failed),
    holdThresholdPercent: Number(row.hold_threshold_percent),
    drawnAt: new Date(row.drawn_at as string).toISOString(),
    decidedBy: (row.decided_by as string | null) ?? null,
    decisionNote: (row.decision_note as string | null) ?? null,
  };
}

function sourceOf(row: TaskRecord): AuthenticitySourceRow {
  return {
    sourceId: row.source_id as string,
    vertical: row.vertical as string,
    sellerId: row.seller_id as string,
    source: (row.source as string | null) ?? null,
    status: row.status as SourceStatusRow,
    listed: Number(row.listed),
    drawn: Number(row.drawn),
    answered: Number(row.answered),
    confirmed: Number(row.confirmed),
    failed: Number(row.failed),
    holdThresholdPercent: Number(row.hold_threshold_percent),
    holdMinAnswered: Number(row.hold_min_answered),
    firstDrawnAt: new Date(row.first_drawn_at as string).toISOString(),
    decidedBy: (row.decided_by as string | null) ?? null,
    decisionNote: (row.decision_note as string | null) ?? null,
  };
}

function samplingLeadOf(row: TaskRecord): SamplingLeadRow {
  return {
    leadId: row.lead_id as string,
    batchId: row.batch_id as string,
    sellerId: row.seller_id as string,
    vertical: row.vertical as string,
    source: (row.source as string | null) ?? null,
    bySource:
      row.source_ordinal === null
        ? null
        : {
            sourceId: row.source_id as string,
            ordinal: Number(row.source_ordinal),
            samplePercent: Number(row.source_percent),
            sampleMin: Number(row.sample_min),
            holdThresholdPercent: Number(row.hold_percent),
          },
  };
}

const SAMPLING_LEAD_COLUMNS = `lead_id, batch_id, seller_id, vertical, source, source_id, source_ordinal,
  source_percent, sample_min, hold_percent`;

/** The authenticity read model in settlement's PostgreSQL (its tables are on the search_path). */
@Injectable()
export class PostgresAuthenticityReads extends AuthenticityReads {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async waitFor(position: LogPosition, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
      const stored = await readCheckpoint(this.dataSource, AUTHENTICITY_SCHEMA);
      if (stored?.position && comparePositions(stored.position, position) >= 0) return;
      if (Date.now() > deadline)
        throw new Error(`Read model ${AUTHENTICITY_SCHEMA} has not reached ${formatPosition(position)}`);
      await sleep(pause);
    }
  }

  async samplingSettings(vertical: string): Promise<SamplingSettingsRow | null> {
    const [row] = await this.dataSource.query(
      `SELECT sample_percent, sample_min, hold_percent FROM au_settings WHERE vertical = $1`,
      [vertical],
    );
    if (!row) return null;
    return {
      samplePercent: Number(row.sample_percent),
      sampleMin: Number(row.sample_min),
      holdPercent: Number(row.hold_percent),
    };
  }

  async batchLeads(batchId: string) {
    const rows: { lead_id: string; seller_id: string; vertical: string }[] = await this.dataSource.query(
      `SELECT lead_id, seller_id, vertical FROM au_lead WHERE batch_id = $1 AND batch_sampled ORDER BY lead_id`,
      [batchId],
    );
    return rows.map((row) => ({ leadId: row.lead_id, sellerId: row.seller_id, vertical: row.vertical }));
  }

  async sourceLeads(where: { batchId: string } | { leadIds: readonly string[] }): Promise<SamplingLeadRow[]> {
    const rows: TaskRecord[] =
      'batchId' in where
        ? await this.dataSource.query(
            `SELECT ${SAMPLING_LEAD_COLUMNS} FROM au_lead
              WHERE batch_id = $1 AND source_ordinal IS NOT NULL ORDER BY source_ordinal, lead_id`,
            [where.batchId],
          )
        : await this.dataSource.query(
            `SELECT ${SAMPLING_LEAD_COLUMNS} FROM au_lead
              WHERE lead_id = ANY($1::text[]) AND source_ordinal IS NOT NULL ORDER BY source_ordinal, lead_id`,
            [where.leadIds],
          );
    return rows.map(samplingLeadOf);
  }

  async openTasks(limit: number, after: { commit: string; prepare: string; rank: number } | null) {
    const rows: TaskRecord[] = await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM au_task WHERE outcome IS NULL
         AND ($1::numeric IS NULL OR (pos_commit, pos_prepare, rank) > ($1::numeric, $2::bigint, $3::int))
       ORDER BY pos_commit, pos_prepare, rank LIMIT $4`,
      [after?.commit ?? null, after?.prepare ?? null, after?.rank ?? null, limit + 1],
    );
    return { items: rows.slice(0, limit).map(taskOf), hasMore: rows.length > limit };
  }

  async task(leadId: string): Promise<AuthenticityTaskRow | null> {
    const [row] = await this.dataSource.query(`SELECT ${TASK_COLUMNS} FROM au_task WHERE lead_id = $1`, [
      leadId,
    ]);
    return row ? taskOf(row as TaskRecord) : null;
  }

  async sample(batchId: string) {
    const [row] = await this.dataSource.query(`SELECT * FROM au_sample WHERE batch_id = $1`, [batchId]);
    if (!row) return null;
    const tasks: TaskRecord[] = await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM au_task WHERE batch_id = $1 AND by_batch ORDER BY rank`,
      [batchId],
    );
    return { sample: sampleOf(row as TaskRecord), tasks: tasks.map(taskOf) };
  }

  async samples(status: AuthenticitySampleRow['status'], limit: number) {
    const rows: TaskRecord[] = await this.dataSource.query(
      `SELECT * FROM au_sample WHERE status = $1 ORDER BY pos_commit, pos_prepare LIMIT $2`,
      [status, limit],
    );
    return rows.map(sampleOf);
  }

  async sourceRecord(sourceId: string) {
    const [row] = await this.dataSource.query(
      `SELECT * FROM au_source WHERE source_id = $1 AND status IS NOT NULL`,
      [sourceId],
    );
    if (!row) return null;
    const tasks: TaskRecord[] = await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM au_task WHERE source_id = $1 AND by_source
        ORDER BY pos_commit, pos_prepare, rank`,
      [sourceId],
    );
    return { source: sourceOf(row as TaskRecord), tasks: tasks.map(taskOf) };
  }

  async sources(status: SourceStatusRow, limit: number) {
    const rows: TaskRecord[] = await this.dataSource.query(
      `SELECT * FROM au_source WHERE status = $1 ORDER BY pos_commit, pos_prepare, source_id LIMIT $2`,
      [status, limit],
    );
    return rows.map(sourceOf);
  }
}
