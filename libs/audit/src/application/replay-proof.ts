import { createHash } from 'node:crypto';
import { canonicalJson } from '#lx/canonical-json';
import {
  comparePositions,
  formatPosition,
  type EventStore,
  type LogPosition,
  type RecordedEvent,
} from '#lx/event-store';
import {
  MARKET_INPUT_CATEGORIES,
  MARKET_INPUT_TYPES,
  MarketEngine,
  marketStream,
  toMarketInput,
  type MarketOutput,
} from '#lx/matching';

export interface MarketReplay {
  vertical: string;
  inputs: number;
  recordedOutputs: number;
  replayedOutputs: number;
  /** Outputs compared one by one (the recorded ones; the replay may run ahead of a lagging engine). */
  compared: number;
  recordedDigest: string;
  replayedDigest: string;
  identical: boolean;
  /** Outputs the replay produced that the live engine has not written yet (it lags; not a divergence). */
  notYetWritten: number;
  firstDivergence: null | {
    index: number;
    recorded: { type: string; data: unknown; position: string } | null;
    replayed: { type: string; data: unknown } | null;
  };
}

export interface ReplayProof {
  ok: boolean;
  eventsRead: number;
  upTo: string | null;
  seconds: number;
  markets: MarketReplay[];
}

export interface ReplayOptions {
  verticals: readonly string[];
  /** Replay the log up to and including this position (default: the whole readable log). */
  upTo?: LogPosition;
  pageSize?: number;
  /** Told after each page how far the replay has read (for a progress bar). */
  onProgress?: (progress: { eventsRead: number; position: LogPosition }) => void;
}

const asOutput = (event: { type: string; data: unknown }): MarketOutput =>
  ({ type: event.type, data: event.data }) as MarketOutput;

/**
 * Re-runs each market's matching engine over the log from the start, in a fresh engine, and
 * compares every output with the one recorded on `market-<vertical>`, in order: the digest of
 * each side and the first divergence if any. Reads only the log; writes nothing.
 */
export async function replayMarkets(store: EventStore, options: ReplayOptions): Promise<ReplayProof> {
  const started = performance.now();
  const engines = new Map(
    options.verticals.map((vertical) => [
      vertical,
      { engine: new MarketEngine({ vertical }), inputs: 0, outputs: [] as MarketOutput[] },
    ]),
  );
  let eventsRead = 0;
  // The recorded outputs are read while the inputs are folded (the database works while the engine
  // does). Read first, they may lag the inputs read later: the replay then runs ahead of them, which
  // counts as not yet written, never as a divergence.
  const recordedReads = new Map(
    options.verticals.map((vertical) => {
      const read = store.readStream(marketStream(vertical));
      read.catch(() => undefined); // awaited below; a failure surfaces there
      return [vertical, read] as const;
    }),
  );
  const pageOf = (after: LogPosition | null) =>
    store.readAll({
      after,
      maxCount: options.pageSize ?? 5000,
      filter: { streamCategories: MARKET_INPUT_CATEGORIES, eventTypes: MARKET_INPUT_TYPES },
    });
  // The next page is read while this one is folded: the database works while the engine does.
  let next = pageOf(null);
  for (;;) {
    const page = await next;
    let done = page.isEnd;
    if (!done) next = pageOf(page.nextAfter);
    for (const event of page.events) {
      if (options.upTo && comparePositions(event.position, options.upTo) > 0) {
        done = true;
        break;
      }
      eventsRead++;
      for (const [vertical, market] of engines) {
        const input = toMarketInput(event, vertical);
        if (!input) continue;
        market.inputs++;
        for (const output of market.engine.apply(input)) market.outputs.push(output);
      }
    }
    const last = page.events.at(-1);
    if (last) options.onProgress?.({ eventsRead, position: last.position });
    if (done) {
      if (!page.isEnd) await next.catch(() => undefined); // read ahead past `upTo`: not needed
      break;
    }
  }

  const markets: MarketReplay[] = [];
  for (const [vertical, market] of engines) {
    const recorded = (await recordedReads.get(vertical)!).filter(
      (event: RecordedEvent) => !options.upTo || causedBefore(event, options.upTo),
    );
    markets.push(compareOutputs(vertical, market.inputs, recorded, market.outputs));
  }
  return {
    ok: markets.every((market) => market.identical),
    eventsRead,
    upTo: options.upTo ? formatPosition(options.upTo) : null,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    markets,
  };
}

/** Whether the recorded output was caused by an input at or before `upTo` (its causation is an input event). */
function causedBefore(event: RecordedEvent, upTo: LogPosition): boolean {
  const inputPosition = (event.data as { inputPosition?: string }).inputPosition;
  if (!inputPosition) return true;
  const [commit, prepare] = inputPosition.split('/').map(BigInt);
  return comparePositions({ commit: commit!, prepare: prepare! }, upTo) <= 0;
}

export function compareOutputs(
  vertical: string,
  inputs: number,
  recorded: readonly RecordedEvent[],
  replayed: readonly MarketOutput[],
): MarketReplay {
  // Each output is serialised once per side (canonical JSON): the texts are compared one by one
  // and hashed into the digests, as digestOutputs does (sha-256 over "<canonical JSON>\n" each).
  let divergence: MarketReplay['firstDivergence'] = null;
  const compared = Math.min(recorded.length, replayed.length);
  const recordedHash = createHash('sha256');
  const replayedHash = createHash('sha256');
  for (let index = 0; index < recorded.length; index++) {
    const mine = recorded[index]!;
    const theirs = replayed[index];
    const mineText = canonicalJson(asOutput(mine));
    recordedHash.update(mineText).update('\n');
    const theirsText = theirs ? canonicalJson(theirs) : null;
    if (theirsText !== null) replayedHash.update(theirsText).update('\n');
    if (!divergence && mineText !== theirsText)
      divergence = {
        index,
        recorded: { type: mine.type, data: mine.data, position: formatPosition(mine.position) },
        replayed: theirs ? { type: theirs.type, data: theirs.data } : null,
      };
  }
  const recordedDigest = recordedHash.digest('hex');
  const replayedDigest = replayedHash.digest('hex');
  return {
    vertical,
    inputs,
    recordedOutputs: recorded.length,
    replayedOutputs: replayed.length,
    compared,
    recordedDigest,
    replayedDigest,
    identical: divergence === null && recordedDigest === replayedDigest,
    notYetWritten: Math.max(0, replayed.length - recorded.length),
    firstDivergence: divergence,
  };
}
