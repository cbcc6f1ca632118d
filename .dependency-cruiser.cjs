/**
 * The layer rules of shared/STYLE.md, checked in CI (`npm run layers`).
 * Libraries are laid out as libs/<context>/src/{domain,application,infrastructure,api}.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Domain code imports nothing from the application, infrastructure or API layers.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/domain/' },
      to: { path: '^libs/[^/]+/src/(application|infrastructure|api)/' },
    },
    {
      name: 'domain-has-no-io',
      comment: 'Domain code is pure and deterministic: no framework, database, queue or network packages.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/domain/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'core'],
        pathNot: '^(node_modules/(reflect-metadata)|crypto|node:crypto)',
      },
    },
    {
      name: 'application-not-on-edges',
      comment: 'Use cases do not depend on HTTP controllers.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/application/' },
      to: { path: '^libs/[^/]+/src/api/' },
    },
    {
      name: 'libs-not-on-apps',
      comment: 'Libraries never import from an app: apps are composition roots.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-are-independent',
      comment: 'The apps never call each other; all communication goes through the event store.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: ['^apps/$1/', '^apps/launcher'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-spec',
      comment: 'Production code does not import tests.',
      severity: 'error',
      from: { pathNot: '\\.spec\\.ts$' },
      to: { path: '\\.spec\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
