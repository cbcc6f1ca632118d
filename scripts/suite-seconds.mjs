// Refreshes tests/support/suite-seconds.json — the seconds each integration and end-to-end file
// took — from the results `npm test` left in .jest-results/ (Jest's --json output of each lane).
// tests/support/lane-sequencer.mjs splits the files between the lanes by these figures.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const results = readdirSync(`${root}/.jest-results`).filter((name) => name.endsWith('.json'));
if (results.length === 0) throw new Error('No results in .jest-results/: run npm test first');

/** A result's path inside the repository, wherever the run's clone was (CI runs a fresh one). */
const repositoryPath = (path) => {
  const inside = relative(root, path);
  if (!inside.startsWith('..')) return inside;
  const match = /\/((?:apps|libs|tests)\/.*)$/.exec(path);
  if (!match) throw new Error(`${path}: not a file of this repository`);
  return match[1];
};

const files = {};
for (const name of results) {
  const run = JSON.parse(readFileSync(`${root}/.jest-results/${name}`, 'utf8'));
  for (const suite of run.testResults)
    files[repositoryPath(suite.name)] = Math.round((suite.endTime - suite.startTime) / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
const target = `${root}/tests/support/suite-seconds.json`;
writeFileSync(
  target,
  `${JSON.stringify({ measured: new Date().toISOString().slice(0, 10), files: sorted }, null, 2)}\n`,
);
process.stdout.write(`${Object.keys(sorted).length} files' seconds written to ${relative(root, target)}\n`);
