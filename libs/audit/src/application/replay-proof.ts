import {
  canonicalJson,
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
  digestOutputs,
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
  let after: LogPosition | null = null;
  let eventsRead = 0;
  for (;;) {
    const page = await store.readAll({
      after,
      maxCount: options.pageSize ?? 5000,
      filter: { streamCategories: MARKET_INPUT_CATEGORIES, eventTypes: MARKET_INPUT_TYPES },
    });
    let done = page.isEnd;
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
    if (done) break;
    after = page.nextAfter;
  }

  const markets: MarketReplay[] = [];
  for (const [vertical, market] of engines) {
    const recorded = (await store.readStream(marketStream(vertical))).filter(
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
  let divergence: MarketReplay['firstDivergence'] = null;
  const compared = Math.min(recorded.length, replayed.length);
  for (let index = 0; index < Math.max(recorded.length, compared) && !divergence; index++) {
    const mine = recorded[index];
    const theirs = replayed[index];
    if (!theirs || !mine || canonicalJson(asOutput(mine)) !== canonicalJson(theirs))
      divergence = {
        index,
        recorded: mine ? { type: mine.type, data: mine.data, position: formatPosition(mine.position) } : null,
        replayed: theirs ? { type: theirs.type, data: theirs.data } : null,
      };
  }
  const recordedDigest = digestOutputs(recorded.map(asOutput));
  const replayedDigest = digestOutputs(replayed.slice(0, recorded.length));
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
