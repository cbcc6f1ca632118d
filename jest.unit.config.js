import config from './jest.config.js';

/**
 * The unit tier alone, for mutation testing (`npm run test:mutation`): Stryker's jest runner does
 * not run jest `projects`, and only the pure unit tests are fast enough to run once per mutant.
 */
export default config.projects.find((project) => project.displayName === 'unit');
