import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { register, type Registered } from './support/scenarios.js';

/** The auditor's command line as a person (or a script) meets it: names, clear errors, JSON. */
describe('the audit CLI', () => {
  let exchange: RunningExchange;
  let operator: Registered;
  let seller: Registered;

  const audit = (...args: string[]) =>
    spawnSync(process.execPath, ['scripts/audit.mjs', ...args], {
      encoding: 'utf8',
      env: { ...process.env, LX_DATABASE_URL: exchange.database.url, LX_LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });

  beforeAll(async () => {
    exchange = await startExchange('audit-cli');
    operator = await register(exchange, 'operator', 'Operations Desk');
    const created = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator.apiKey,
      body: { role: 'seller', name: 'Лиды Столицы ООО' },
    });
    expect(created.status).toBe(201);
    seller = { participantId: created.body.participantId, apiKey: '' };
  });
  afterAll(async () => exchange?.stop());

  it('shows a timeline with its actors by name', () => {
    const run = audit('timeline', 'participant', seller.participantId);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('ParticipantRegistered');
    expect(run.stdout).toContain('by Operations Desk');
  });

  it('answers an unknown id with one line and exit code 3, no stack trace', () => {
    const id = randomUUID();
    for (const args of [
      ['timeline', 'allocation', id],
      ['report', id],
    ]) {
      const run = audit(...args);
      expect({ args, status: run.status }).toEqual({ args, status: 3 });
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stderr).toContain(id);
    }
  });

  it('refuses a usage mistake with the usage and exit code 64', () => {
    const run = audit('timeline', 'nonsense', 'x');
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('usage:');
  });

  it('gives scripts JSON: the integrity check and the replay proof', () => {
    const verify = audit('verify', '--json');
    expect(verify.status).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, eventsChecked: expect.any(Number) });
    const replay = audit('replay', '--json');
    expect(replay.status).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ ok: true, markets: expect.any(Array) });
  });
});
