// Jest's test sequencer for `npm test`'s two lanes (scripts/test.mjs). The integration and
// end-to-end files are split between the lanes by `--shard=<lane>/2`: lane 1 starts them after the
// build, lane 2 after the checks (lint, type check, layers, component and unit tests), so lane 2
// gets less. Both lanes compute the same split from the same inputs — the file list, the seconds
// each file took in a measured run (`suite-seconds.json`; a file not in it counts by its tier) and
// when each lane starts — so every file runs exactly once: longest first, each to the lane that
// would finish it sooner.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import TestSequencer from '@jest/test-sequencer';

const Sequencer = TestSequencer.default ?? TestSequencer;

/** Seconds after `npm test` starts at which each lane starts its share (measured, README "Tests"). */
const LANE_STARTS = [Number(process.env.LX_LANE_1_START ?? 25), Number(process.env.LX_LANE_2_START ?? 350)];
/** A file missing from the measured seconds (a new one) counts as its tier's typical file. */
const TIER_SECONDS = { e2e: 25, int: 4 };

const measured = JSON.parse(readFileSync(new URL('./suite-seconds.json', import.meta.url), 'utf8'));

const secondsOf = (file) =>
  measured.files[file] ?? (file.endsWith('.e2e.spec.ts') ? TIER_SECONDS.e2e : TIER_SECONDS.int);

/** The lane (0-based) of each file, the same in every process given the same files. */
export function assignLanes(files, starts = LANE_STARTS) {
  const finish = [...starts];
  const lane = new Map();
  const order = [...files].sort((a, b) => secondsOf(b) - secondsOf(a) || a.localeCompare(b));
  for (const file of order) {
    const chosen = finish[0] <= finish[1] ? 0 : 1;
    lane.set(file, chosen);
    finish[chosen] += secondsOf(file);
  }
  return lane;
}

export default class LaneSequencer extends Sequencer {
  shard(tests, { shardIndex, shardCount }) {
    if (shardCount !== 2) throw new Error(`lane-sequencer splits between 2 lanes, not ${shardCount}`);
    const fileOf = (test) => relative(test.context.config.rootDir, test.path);
    const lanes = assignLanes(tests.map(fileOf));
    return tests.filter((test) => lanes.get(fileOf(test)) === shardIndex - 1);
  }

  sort(tests) {
    // Longest first, so that a lane never ends on a long file started late.
    const fileOf = (test) => relative(test.context.config.rootDir, test.path);
    return [...tests].sort((a, b) => secondsOf(fileOf(b)) - secondsOf(fileOf(a)));
  }
}
