import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { processPoolOf } from '#lx/platform';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { ReplayRuns } from './replay-runs.js';

/*
 * A replay run belongs to the app that started it: when that app dies, its run must not say
 * "running" for ever. The run's heartbeat stops, and the run reads as interrupted.
 */
describe('replay runs kept in PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let runs: ReplayRuns;

  beforeAll(async () => {
    database = await createTestDatabase('replay_runs');
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    runs = new ReplayRuns(dataSource, processPoolOf(dataSource));
    await runs.onModuleInit();
    // A second instance starting on the same database migrates nothing twice.
    await new ReplayRuns(dataSource, processPoolOf(dataSource)).onModuleInit();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const insertRun = (id: string, state: string, heartbeatAgo: string) =>
    dataSource.query(
      `INSERT INTO lx_audit_replay_runs (id, requested_by, state, heartbeat_at)
       VALUES ($1, 'auditor-1', $2, now() - $3::interval)`,
      [id, state, heartbeatAgo],
    );

  it('reads a running run whose heartbeat went silent as interrupted, and says why', async () => {
    await insertRun('00000000-0000-4000-8000-000000000001', 'running', '1 minute');
    await insertRun('00000000-0000-4000-8000-000000000002', 'running', '1 second');
    await insertRun('00000000-0000-4000-8000-000000000003', 'queued', '1 hour');
    await insertRun('00000000-0000-4000-8000-000000000004', 'done', '1 hour');
    const state = async (n: number) => (await runs.get(`00000000-0000-4000-8000-00000000000${n}`))!;
    expect(await state(1)).toMatchObject({
      state: 'interrupted',
      error: 'The app running this replay stopped',
    });
    expect((await state(2)).state).toBe('running');
    expect((await state(3)).state).toBe('interrupted');
    expect((await state(4)).state).toBe('done');
    expect(await runs.get('00000000-0000-4000-8000-000000000009')).toBeNull();
  });

  it('records a run that cannot start as failed, with the reason', async () => {
    // Not built here: the scratch process's command line is missing, and the run says so.
    const started = await runs.start('auditor-1', undefined);
    expect(['queued', 'running', 'failed']).toContain(started.state);
    let run = started;
    for (let attempt = 0; attempt < 100 && ['queued', 'running'].includes(run.state); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await runs.get(started.id))!;
    }
    expect(run).toMatchObject({ state: 'failed', proof: null });
    expect(run.error).toContain('not built');
    expect((await runs.recent(1))[0]!.id).toBe(started.id);
  });
});
