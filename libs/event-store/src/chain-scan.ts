import { GENESIS_HASH, chainHash, contentDigest, type HashedContent } from './hash-chain.js';
import type { StreamHead } from './integrity.js';

/** What checking one event's content needs: the content and the recorded link. */
export interface HashedEvent extends HashedContent {
  revision: number;
  previousHash: string;
  hash: string;
}

/**
 * Whether the recorded hash is this content's digest chained to the recorded predecessor hash.
 * It does not depend on any other event, so it can be computed in any order, on any thread;
 * whether the predecessor hash is the previous event's is the chain's business (`ChainScan`).
 */
export function contentMatches(event: HashedEvent): boolean {
  return chainHash(event.previousHash, event.revision, contentDigest(event)) === event.hash;
}

/**
 * One event as the fast scan links it, its content already checked. `commit`/`prepare` are its
 * log position, ordered like (transaction id, global position); `commit` is an xid8's decimal text.
 */
export interface Link {
  streamName: string;
  revision: number;
  previousHash: string;
  hash: string;
  contentOk: boolean;
  commit: string;
  prepare: number;
}

interface StreamState {
  /** The revision the chain waits for next (revisions 0 … next-1 are linked and verified). */
  next: number;
  tailHash: string;
  tailCommit: string;
  tailPrepare: number;
  /** Events that arrived before their predecessor (the scan is not in log order). */
  early?: Map<number, Link>;
  /** Set once its recorded head has been found equal to its chain end. */
  headed?: boolean;
}

/**
 * The fast, order-free pass of verification: events may arrive in any order (a sequential scan
 * of the table), each with its content already checked (`contentMatches`), and each stream's
 * chain is linked as its revisions become contiguous.
 *
 * It does not decide *which* failure comes first; it only names the streams that are suspect.
 * A stream is clean exactly when the log-order walk (`verifyHashChains`) finds nothing wrong with
 * it: revisions 0…n-1, each in a later log position than the one before, each linked to its
 * predecessor's hash, each hash matching its content, the last one matching the recorded head.
 * The caller re-walks only the suspect streams in log order to report the first failure, so the
 * report is the one the full log-order walk would give.
 */
export class ChainScan {
  private readonly streams = new Map<string, StreamState>();
  readonly suspects = new Set<string>();
  eventsChecked = 0;
  /** Streams with at least one event. */
  streamsChecked = 0;

  add(link: Link): void {
    this.eventsChecked++;
    const name = link.streamName;
    if (this.suspects.has(name)) return;
    let state = this.streams.get(name);
    if (!state) {
      this.streamsChecked++;
      state = { next: 0, tailHash: GENESIS_HASH, tailCommit: '', tailPrepare: -1 };
      this.streams.set(name, state);
    }
    if (link.revision === state.next) this.link(name, state, link);
    else if (link.revision > state.next && !state.early?.has(link.revision))
      (state.early ??= new Map()).set(link.revision, link);
    else this.suspect(name);
  }

  /** Compares a stream's chain end with the head the store recorded for it; call after every `add`. */
  addHead(head: StreamHead): void {
    const state = this.streams.get(head.stream);
    if (!state || state.early || state.next - 1 !== head.revision || state.tailHash !== head.hash)
      this.suspect(head.stream);
    else state.headed = true;
  }

  /** After every head: a stream the store has no head for, or with a gap, is suspect too. */
  finish(): void {
    for (const [name, state] of this.streams) if (!state.headed || state.early) this.suspect(name);
  }

  /** Links `first` and then every early arrival it makes contiguous. */
  private link(name: string, state: StreamState, first: Link): void {
    let link: Link | undefined = first;
    while (link) {
      const later =
        link.commit.length !== state.tailCommit.length
          ? link.commit.length > state.tailCommit.length
          : link.commit !== state.tailCommit
            ? link.commit > state.tailCommit
            : link.prepare > state.tailPrepare;
      if (!link.contentOk || link.previousHash !== state.tailHash || !later) {
        this.suspect(name);
        return;
      }
      state.next++;
      state.tailHash = link.hash;
      state.tailCommit = link.commit;
      state.tailPrepare = link.prepare;
      if (state.early) {
        state.early.delete(link.revision);
        link = state.early.get(state.next);
        if (state.early.size === 0) delete state.early;
      } else link = undefined;
    }
  }

  private suspect(name: string): void {
    this.suspects.add(name);
    // Its state is no longer needed: the log-order walk will look at this stream again.
    this.streams.delete(name);
  }
}
