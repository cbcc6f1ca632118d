import { writeFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { connectEventStore, parsePosition, type EventStore } from '#lx/event-store';
import { ProjectionRunner, readModelEntities, readModelSearchPath } from '#lx/projections';
import {
  AllocationNotFoundError,
  AuditTimelines,
  ParticipantNames,
  DisputeReports,
  ENTITY_KINDS,
  auditIndexProjection,
  renderDisputeReportHtml,
  renderDisputeReportPdf,
  replayMarkets,
  type EntityKind,
} from '#lx/audit';
import { Progress, ProgressLines } from './audit/progress.js';

/**
 * The auditor's command line, over the same library as the settlement app's audit API:
 *   npm run audit -- verify [--json]
 *   npm run audit -- timeline <lead|order|allocation|participant|batch|payout> <id> [--json]
 *   npm run audit -- report <allocationId> [--format json|html|pdf] [--out file]
 *   npm run audit -- replay [--up-to <commit>/<prepare>] [--json] [--progress-lines]
 * It reads the event store named by the configuration (LX_DATABASE_URL …) and brings the audit
 * index up to date before answering. `--progress-lines` makes a replay tell its progress on stderr
 * as lines `progress {json}` (the settlement app's replay runs read them). Exit codes: 0 done (and the log verifies), 2 the proof
 * fails, 3 nothing found for the id, 64 a usage error, 1 anything else (one line on stderr).
 */
const [command, ...args] = process.argv.slice(2);
const json = args.includes('--json');
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};

const USAGE =
  'usage: npm run audit -- verify [--json] | timeline <kind> <id> [--json] | report <allocationId> [--format json|html|pdf] [--out file] | replay [--up-to <position>] [--json]\n' +
  `  kinds: ${ENTITY_KINDS.join(', ')}`;

/** A failure the person can act on: printed as one line, never as a stack trace. */
class AuditCliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

async function withAuditIndex<T>(
  store: EventStore,
  work: (timelines: AuditTimelines) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const dataSource = await new DataSource({
    type: 'postgres',
    url: config.LX_DATABASE_URL,
    entities: readModelEntities([auditIndexProjection]) as never[],
    extra: { options: readModelSearchPath([auditIndexProjection]) },
  }).initialize();
  const runner = await ProjectionRunner.start({ projection: auditIndexProjection, store, dataSource });
  try {
    await runner.caughtUp;
    return await work(new AuditTimelines(dataSource, store));
  } finally {
    await runner.stop();
    await dataSource.destroy();
  }
}

/** On PostgreSQL the head's sequence number counts the events written; elsewhere nothing to go by. */
async function eventsInLog(store: EventStore, kind: string): Promise<number | null> {
  if (kind !== 'postgres') return null;
  const head = await store.headPosition();
  return head ? Number(head.prepare) : 0;
}

async function main(): Promise<number> {
  if (!command || command === '--help' || command === 'help') {
    console.error(USAGE);
    return command ? 0 : 64;
  }
  const config = loadConfig();
  const store = await connectEventStore({
    kind: config.LX_EVENT_STORE,
    postgresUrl: config.LX_DATABASE_URL,
    eventStoreDbUrl: config.LX_EVENTSTOREDB_URL,
    registry: eventCatalogue,
  });
  const names = new ParticipantNames(store);
  try {
    switch (command) {
      case 'verify': {
        const progress = new Progress(
          'verifying hash chains',
          await eventsInLog(store, config.LX_EVENT_STORE),
        );
        const started = performance.now();
        const report = await store.verifyIntegrity({ onProgress: (checked) => progress.update(checked) });
        progress.done();
        const seconds = Math.round((performance.now() - started) / 10) / 100;
        if (json) console.log(JSON.stringify({ ...report, seconds }));
        else if (report.ok)
          console.log(
            `The log verifies: ${report.eventsChecked} events in ${report.streamsChecked} streams, every hash chain intact (${seconds} s).`,
          );
        else
          console.log(
            `The log does NOT verify: ${report.firstFailure.stream}@${report.firstFailure.revision} — ${report.firstFailure.reason}: ${report.firstFailure.detail}`,
          );
        return report.ok ? 0 : 2;
      }
      case 'timeline': {
        const [kind, id] = args;
        if (!ENTITY_KINDS.includes(kind as EntityKind) || !id || id.startsWith('--'))
          throw new AuditCliError(USAGE, 64);
        // Every page of the timeline (a busy batch has thousands of events).
        const events = await withAuditIndex(store, (timelines) => timelines.timeline(kind as EntityKind, id));
        if (events.length === 0) throw new AuditCliError(`No ${kind} ${id} in the log.`, 3);
        if (json) {
          console.log(JSON.stringify({ kind, id, events }));
          return 0;
        }
        for (const e of events)
          console.log(
            `${e.position.padEnd(16)} ${e.occurredAt}  ${e.type.padEnd(22)} ${e.stream}@${e.revision}  by ${await names.of(e.actor)}  ${e.hash.slice(0, 12)}…`,
          );
        return 0;
      }
      case 'report': {
        const [allocationId] = args;
        if (!allocationId || allocationId.startsWith('--')) throw new AuditCliError(USAGE, 64);
        const format = option('format') ?? 'json';
        if (!['json', 'html', 'pdf'].includes(format))
          throw new AuditCliError(`--format must be json, html or pdf (not ${format}).`, 64);
        const report = await withAuditIndex(store, (timelines) =>
          new DisputeReports(timelines, store, {
            returnWindowMsOverride: config.LX_RETURN_WINDOW_MS,
          }).build(allocationId, new Date()),
        );
        const body =
          format === 'pdf'
            ? await renderDisputeReportPdf(report)
            : format === 'html'
              ? renderDisputeReportHtml(report)
              : JSON.stringify(report, null, 2);
        const out = option('out');
        if (out) writeFileSync(out, body);
        else if (format === 'pdf' && process.stdout.isTTY)
          throw new AuditCliError('A PDF is not for a terminal: add --out report.pdf.', 64);
        else process.stdout.write(body);
        console.error(`${out ? `${out} written. ` : '\n'}${report.finding}`);
        return 0;
      }
      case 'replay': {
        const upTo = option('up-to');
        let limit;
        try {
          limit = upTo ? parsePosition(upTo) : undefined;
        } catch {
          throw new AuditCliError(`--up-to must be a log position <commit>/<prepare> (not ${upTo}).`, 64);
        }
        const head = await store.headPosition();
        const total = head ? Number((limit ?? head).prepare) : 0;
        const progress = new Progress('replaying the engines', total);
        const lines = args.includes('--progress-lines') ? new ProgressLines(total) : null;
        const proof = await replayMarkets(store, {
          verticals: config.LX_MATCHING_MARKETS.split(','),
          upTo: limit,
          onProgress: (step) => {
            progress.update(Number(step.position.prepare));
            lines?.update(step);
          },
        });
        progress.done();
        if (json) console.log(JSON.stringify(proof));
        else {
          const traded = proof.markets.filter((market) => market.recordedOutputs > 0 || !market.identical);
          if (traded.length === 0) console.log('No market has traded in this log: nothing to prove.');
          for (const market of traded)
            console.log(
              `${market.vertical.padEnd(12)} ${market.identical ? 'IDENTICAL' : 'DIVERGES '} inputs ${market.inputs}, ` +
                `outputs recorded ${market.recordedOutputs} / replayed ${market.replayedOutputs}, digest ${market.recordedDigest.slice(0, 16)}…` +
                (market.firstDivergence
                  ? ` — first divergence at output #${market.firstDivergence.index}`
                  : ''),
            );
        }
        return proof.ok ? 0 : 2;
      }
      default:
        throw new AuditCliError(`Unknown command "${command}".\n${USAGE}`, 64);
    }
  } finally {
    await store.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof AuditCliError) {
    console.error(error.message);
    process.exitCode = error.exitCode;
  } else if (error instanceof AllocationNotFoundError) {
    console.error(`${error.message}.`);
    process.exitCode = 3;
  } else {
    const text = error instanceof Error ? error.message : String(error);
    const hint = /ECONNREFUSED|does not exist/.test(text)
      ? ' — is LX_DATABASE_URL the exchange you mean to inspect, and is PostgreSQL up?'
      : '';
    console.error(`audit failed: ${text}${hint}`);
    process.exitCode = 1;
  }
}
