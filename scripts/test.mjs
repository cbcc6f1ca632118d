// `npm test`: every check of the repository, in two lanes at once on a machine's two cores.
//
//   lane "tests":  build (the e2e and browser tests run the built apps and console) → the first
//                  share of Jest's integration and end-to-end files, one file at a time
//   lane "checks": lint (ESLint + Prettier) → type check → layer rules → console component tests →
//                  Jest's unit tier (after the build: one unit spec checks the compiled worker) →
//                  the second share of the integration and end-to-end files
//
// Jest's end-to-end tiers spend most of their time waiting on the apps they start, so two of them
// fit on two cores. The files are split by `--shard` and tests/support/lane-sequencer.mjs: longest
// first, each to the lane that would finish it sooner, from the seconds each file took in a measured
// run (tests/support/suite-seconds.json; `node scripts/suite-seconds.mjs` refreshes it from the
// last run's results in .jest-results/). Jest's output streams live, each line marked with its lane;
// each other step's output is kept and printed in one piece when that step ends. The run fails if
// any step fails, and says which. `LX_TEST_LANES=1` runs the same steps one after another (the tests
// first), for a machine with one core.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Jest's integration and end-to-end tiers, the given share of their files. */
const system = (shard) => ({
  name: `test:system ${shard}/2`,
  command: [
    'node',
    '--experimental-vm-modules',
    '--no-warnings',
    'node_modules/jest/bin/jest.js',
    '--runInBand',
    '--selectProjects',
    'int',
    'e2e',
    `--shard=${shard}/2`,
    '--json',
    `--outputFile=.jest-results/system-${shard}.json`,
  ],
  live: true,
});
const npm = (script) => ({ name: script, command: ['npm', 'run', '--silent', script], live: false });

const lanes = {
  checks: [npm('lint'), npm('typecheck'), npm('layers'), npm('test:console'), npm('test:unit'), system(2)],
  tests: [npm('build'), system(1)],
};
/** A step that needs another lane's step to have finished first. */
const after = { 'test:unit': 'build', 'test:system 2/2': 'build' };
const finished = new Map();
const finishedOf = (script) => {
  if (!finished.has(script)) {
    let resolve;
    finished.set(script, { promise: new Promise((r) => (resolve = r)), resolve });
  }
  return finished.get(script);
};

/** Writes a stream's output whole lines at a time, each marked with `mark`. */
function streamLines(stream, mark, write) {
  let pending = '';
  stream.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    if (lines.length > 0) write(lines.map((line) => `${mark} ${line}\n`).join(''));
  });
  stream.on('end', () => pending && write(`${mark} ${pending}\n`));
}

/** Runs a step; its output streams line by line when `live`, else is returned to print later. */
function run({ name: script, command, live }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command[0], command.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
    });
    let output = '';
    if (live) {
      const mark = `[${script.replace('test:system ', '')}]`;
      streamLines(child.stdout, mark, (text) => process.stdout.write(text));
      streamLines(child.stderr, mark, (text) => process.stderr.write(text));
    } else {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('close', (code, signal) =>
      resolve({
        script,
        ok: code === 0,
        code: code ?? signal,
        seconds: (performance.now() - started) / 1000,
        output,
      }),
    );
  });
}

async function lane(name, steps) {
  const results = [];
  for (const step of steps) {
    const script = step.name;
    // A step whose prerequisite failed is skipped; the lane's other steps still run.
    if (after[script] && !(await finishedOf(after[script]).promise)) continue;
    const result = await run(step);
    finishedOf(script).resolve(result.ok);
    results.push(result);
    const mark = result.ok ? 'ok' : `FAILED (${result.code})`;
    process.stdout.write(`[${name}] ${script}: ${mark} in ${result.seconds.toFixed(0)} s\n`);
    if (result.output)
      process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
    // The tests need the build; the checks do not need one another.
    if (!result.ok && name === 'tests') break;
  }
  // A step that never ran (its lane stopped) releases whatever waits for it, as a failure.
  for (const step of steps) finishedOf(step.name).resolve(false);
  return results;
}

mkdirSync('.jest-results', { recursive: true });
const started = performance.now();
const results =
  process.env.LX_TEST_LANES === '1'
    ? [...(await lane('tests', lanes.tests)), ...(await lane('checks', lanes.checks))]
    : (await Promise.all([lane('checks', lanes.checks), lane('tests', lanes.tests)])).flat();

const failed = results.filter((result) => !result.ok);
const total = ((performance.now() - started) / 1000).toFixed(0);
process.stdout.write(
  `\nnpm test: ${results.map((r) => `${r.script} ${r.ok ? 'ok' : 'FAILED'} (${r.seconds.toFixed(0)} s)`).join(', ')}; ${total} s in all\n`,
);
if (failed.length > 0) {
  process.stdout.write(`npm test FAILED: ${failed.map((r) => r.script).join(', ')}\n`);
  process.exit(1);
}
