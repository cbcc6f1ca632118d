import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AppLogger } from './logging.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: new AppLogger(pino({ level: 'info' }, sink)) };
}

describe('the apps’ logger', () => {
  it('keeps Nest’s start-up chatter (modules, routes) out of the info log', () => {
    const { lines, logger } = capture();
    logger.log('Mapped {/v1/orders, POST} route', 'RouterExplorer');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Batch 42 verified', 'Verification');
    expect(lines.map((line) => line.msg)).toEqual(['Batch 42 verified']);
  });

  it('logs errors with their stack and context', () => {
    const { lines, logger } = capture();
    logger.error(new Error('connection lost'), undefined, 'Projection');
    logger.error('it broke', 'Error: it broke\n    at x', 'Http');
    expect(lines[0]).toMatchObject({ level: 50, msg: 'connection lost', context: 'Projection' });
    expect((lines[0]!.err as { stack: string }).stack).toContain('connection lost');
    expect(lines[1]).toMatchObject({ level: 50, msg: 'it broke', trace: expect.stringContaining('at x') });
  });
});
