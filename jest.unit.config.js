import config from './jest.config.js';

/**
 * The unit tier alone, for mutation testing (`npm run test:mutation`): Stryker's jest runner does
 * not run jest `projects`, and only the pure unit tests are fast enough to run once per mutant.
 * The random-market properties of the engine are left out: they take over a minute a run and
 * cover every engine mutant, which would turn a run into hours. The scores measured without them
 * are therefore a lower bound; they still run in `npm test`.
 */
const unit = config.projects.find((project) => project.displayName === 'unit');

export default {
  ...unit,
  testPathIgnorePatterns: [...unit.testPathIgnorePatterns, '/market-engine\\.property\\.unit\\.spec\\.ts$'],
};
