import { writeFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { connectEventStore, parsePosition, type EventStore } from '#lx/event-store';
import { ProjectionRunner, readModelEntities, readModelSearchPath } from '#lx/projections';
import {
  AuditTimelines,
  DisputeReports,
  ENTITY_KINDS,
  auditIndexProjection,
  renderDisputeReportHtml,
  renderDisputeReportPdf,
  replayMarkets,
  type EntityKind,
  type TimelineCursor,
  type TimelinePage,
} from '#lx/audit';

/**
 * The auditor's command line, over the same library as the settlement app's audit API:
 *   npm run audit -- verify
 *   npm run audit -- timeline <lead|order|allocation|participant|batch|payout> <id>
 *   npm run audit -- report <allocationId> [--format json|html|pdf] [--out file]
 *   npm run audit -- replay [--up-to <commit>/<prepare>] [--json]
 * It reads the event store named by the configuration (LX_DATABASE_URL …) and brings the audit
 * index up to date before answering.
 */
const [command, ...args] = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};

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

async function main(): Promise<number> {
  const config = loadConfig();
  const store = await connectEventStore({
    kind: config.LX_EVENT_STORE,
    postgresUrl: config.LX_DATABASE_URL,
    eventStoreDbUrl: config.LX_EVENTSTOREDB_URL,
    registry: eventCatalogue,
  });
  try {
    switch (command) {
      case 'verify': {
        const started = performance.now();
        const report = await store.verifyIntegrity();
        const seconds = (performance.now() - started) / 1000;
        console.log(JSON.stringify({ ...report, seconds: Math.round(seconds * 100) / 100 }, null, 2));
        return report.ok ? 0 : 2;
      }
      case 'timeline': {
        const [kind, id] = args;
        if (!ENTITY_KINDS.includes(kind as EntityKind) || !id) return usage();
        // Page after page, printed as they come: a busy batch has thousands of events.
        const shown = await withAuditIndex(store, async (timelines) => {
          let count = 0;
          for (let after: TimelineCursor | null = null; ;) {
            const page: TimelinePage = await timelines.page(kind as EntityKind, id, 500, after);
            for (const e of page.events)
              console.log(
                `${e.position.padEnd(16)} ${e.occurredAt}  ${e.type.padEnd(22)} ${e.stream}@${e.revision}  by ${e.actor}  ${e.hash.slice(0, 12)}…`,
              );
            count += page.events.length;
            if (!page.next) return count;
            after = page.next;
          }
        });
        return shown ? 0 : 1;
      }
      case 'report': {
        const [allocationId] = args;
        if (!allocationId) return usage();
        const format = option('format') ?? 'json';
        const report = await withAuditIndex(store, (timelines) =>
          new DisputeReports(timelines, store).build(allocationId, new Date()),
        );
        const body =
          format === 'pdf'
            ? await renderDisputeReportPdf(report)
            : format === 'html'
              ? renderDisputeReportHtml(report)
              : JSON.stringify(report, null, 2);
        const out = option('out');
        if (out) writeFileSync(out, body);
        else process.stdout.write(body);
        console.error(`\n${report.finding}`);
        return 0;
      }
      case 'replay': {
        const upTo = option('up-to');
        const proof = await replayMarkets(store, {
          verticals: config.LX_MATCHING_MARKETS.split(','),
          upTo: upTo ? parsePosition(upTo) : undefined,
        });
        if (args.includes('--json')) console.log(JSON.stringify(proof));
        else
          for (const market of proof.markets)
            console.log(
              `${market.vertical.padEnd(12)} ${market.identical ? 'IDENTICAL' : 'DIVERGES '} inputs ${market.inputs}, ` +
                `outputs recorded ${market.recordedOutputs} / replayed ${market.replayedOutputs}, digest ${market.recordedDigest.slice(0, 16)}…` +
                (market.firstDivergence
                  ? ` — first divergence at output #${market.firstDivergence.index}`
                  : ''),
            );
        return proof.ok ? 0 : 2;
      }
      default:
        return usage();
    }
  } finally {
    await store.close();
  }
}

function usage(): number {
  console.error(
    'usage: audit verify | timeline <kind> <id> | report <allocationId> [--format json|html|pdf] [--out file] | replay [--up-to <position>] [--json]',
  );
  return 64;
}

process.exitCode = await main();
