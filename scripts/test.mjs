// `npm test`: every check of the repository, in two lanes at once on a machine's two cores.
//
//   lane "tests":  build (the e2e and browser tests run the built apps and console) → Jest's
//                  integration and end-to-end tiers, one file at a time
//   lane "checks": lint (ESLint + Prettier) → type check → layer rules → console component tests →
//                  Jest's unit tier (after the build: one unit spec checks the compiled worker)
//
// Jest's end-to-end tiers spend most of their time waiting on the apps they start, so the checks
// and the unit tier run in that time instead of before it. Jest's integration and end-to-end output
// streams live; each other step's output is kept and printed in one piece when that step ends, so
// the two never interleave line by line. The run fails if any step fails, and says which.
// `LX_TEST_LANES=1` runs the same steps one after another (the tests first), for a machine with one
// core.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const lanes = {
  checks: ['lint', 'typecheck', 'layers', 'test:console', 'test:unit'],
  tests: ['build', 'test:system'],
};
const live = new Set(['test:system']);
/** A step that needs another lane's step to have finished first. */
const after = { 'test:unit': 'build' };
const finished = new Map();
const finishedOf = (script) => {
  if (!finished.has(script)) {
    let resolve;
    finished.set(script, { promise: new Promise((r) => (resolve = r)), resolve });
  }
  return finished.get(script);
};

/** Runs `npm run <script>`; its output streams when `stream`, else is returned to print later. */
function run(script, stream) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('npm', ['run', '--silent', script], {
      stdio: stream ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
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

async function lane(name, scripts) {
  const results = [];
  for (const script of scripts) {
    if (after[script] && !(await finishedOf(after[script]).promise)) break;
    const result = await run(script, live.has(script));
    finishedOf(script).resolve(result.ok);
    results.push(result);
    const mark = result.ok ? 'ok' : `FAILED (${result.code})`;
    process.stdout.write(`[${name}] ${script}: ${mark} in ${result.seconds.toFixed(0)} s\n`);
    if (result.output)
      process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
    if (!result.ok) break; // a later step of this lane depends on this one (or repeats its failure)
  }
  // A step that never ran (its lane stopped) releases whatever waits for it, as a failure.
  for (const script of scripts) finishedOf(script).resolve(false);
  return results;
}

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
