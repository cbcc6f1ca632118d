import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExchange, type AppName, type RunningExchange } from './support/exchange.js';

/**
 * The README's curl examples, run as written against a started exchange: every ```bash block
 * that calls curl, in order, in one shell with `set -euo pipefail`. Only the addresses change
 * (the test's apps listen on free ports) and the operator key comes from the environment. A
 * command annotated `… | field x   # value` must print that value.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)]
  .map((match) => match[1]!)
  .filter((block) => block.includes('curl '));
const expectedOutputs = blocks
  .join('\n')
  .split('\n')
  .flatMap((line) => /\|\s*field\b[^#]*#\s*(\S+)\s*$/.exec(line)?.[1] ?? []);
const APP_BY_PORT: Record<string, AppName> = { '3001': 'sellers', '3002': 'buyers', '3003': 'settlement' };

describe('the README’s HTTP examples', () => {
  let exchange: RunningExchange;
  let workDir: string;

  beforeAll(async () => {
    exchange = await startExchange('readme');
    workDir = mkdtempSync(join(tmpdir(), 'lx-readme-'));
  });
  afterAll(async () => {
    await exchange?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('has curl examples that say what they print', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(expectedOutputs.length).toBeGreaterThanOrEqual(2);
  });

  it('runs every one of them as written', () => {
    const script = blocks
      .join('\n')
      .replace(/^KEY=\.\.\..*$/m, '')
      .replace(
        /localhost:(300[123])\b/g,
        (_, port: string) => new URL(exchange.url(APP_BY_PORT[port]!)).host,
      );
    const run = spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], {
      cwd: workDir,
      env: { ...process.env, KEY: exchange.operatorKey },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const failure = `exit ${run.status}${run.signal ? ` (${run.signal})` : ''}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
    // Thrown rather than matched: a failed example shows the script's output, not just its status.
    if (run.status !== 0) throw new Error(failure);
    const printed = run.stdout.split('\n').map((line) => line.trim());
    let from = 0;
    for (const value of expectedOutputs) {
      expect(printed.slice(from)).toContain(value);
      from = printed.indexOf(value, from) + 1;
    }
  });
});
