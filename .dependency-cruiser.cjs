/**
 * The layer and boundary rules of docs/architecture.md §1, checked in CI (`npm run layers`).
 *
 * Business libraries (one bounded context each: access, audit, authenticity, buyers, leads, ledger, matching,
 * returns, vault) are laid out as libs/<context>/src/{domain,application,infrastructure,api}.
 * Shared libraries (contracts, event-sourcing, event-store, projections, platform, config, http,
 * canonical-json, csv, market-generator, testing, spec-helpers) have no layers of their own, and
 * are treated so:
 * - the layer rules apply only inside business libraries;
 * - the boundary rule applies to every library, shared or not: another library reaches it only
 *   through its public index (`#lx/<name>`, which resolves to libs/<name>/src/index.ts), so that
 *   its index is the whole of its contract. libs/contracts is the catalogue every context shares:
 *   its files may be imported directly;
 * - domain code may use, besides its own domain and the catalogue, only the shared libraries that
 *   are pure and deterministic (the domain kernel): event-sourcing (Decider, DomainError),
 *   canonical-json, csv, and market-generator's upload format (the sellers' column list). Never
 *   event-store, projections, platform, config, http, testing or spec-helpers, nor another context;
 * - test support (a library's src/testing/ folder, libs/testing, libs/spec-helpers) is kept out of
 *   the public indexes because it loads jest; test support may import another library's
 *   src/testing/ folder, production code may not.
 */
/** Jest-only helpers: a library's src/testing/ folder, libs/testing and libs/spec-helpers. */
const TEST_SUPPORT = ['^libs/[^/]+/src/testing/', '^libs/(testing|spec-helpers)/'];
/** The same, capturing the library the helper belongs to as $1. */
const TEST_SUPPORT_OF_LIBRARY = '^libs/((?:testing|spec-helpers)(?=/)|[^/]+(?=/src/testing/))/';
/**
 * A library's public index, what `#lx/<name>` resolves to, and the matching context's published
 * rules (`#lx/matching/rules`): the pure filter rule that the buyers' preview and the returns' rules
 * apply from their domain code.
 */
const PUBLIC_INDEX = '^libs/[^/]+/src/index\\.ts$';
const PUBLISHED_RULES = '^libs/matching/src/rules\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'libs-through-public-index',
      comment:
        'A library reaches another library only through its public index (#lx/<name> → libs/<name>/src/index.ts) ' +
        'or through the catalogue (libs/contracts): never by a deep import into its files.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/src/', pathNot: TEST_SUPPORT },
      to: { path: '^libs/[^/]+/', pathNot: ['^libs/$1/', PUBLIC_INDEX, PUBLISHED_RULES, '^libs/contracts/'] },
    },
    {
      name: 'test-support-through-public-index',
      comment:
        "Test support follows the same rule, except that it may also use another library's test support " +
        '(src/testing/), which is kept out of the public indexes because it loads jest.',
      severity: 'error',
      from: { path: TEST_SUPPORT_OF_LIBRARY },
      to: {
        path: '^libs/[^/]+/',
        pathNot: ['^libs/$1/', PUBLIC_INDEX, PUBLISHED_RULES, '^libs/contracts/', '^libs/[^/]+/src/testing/'],
      },
    },
    {
      name: 'application-not-on-infrastructure',
      comment:
        'Use cases depend on ports (interfaces in the application or domain layer), never on the ' +
        'infrastructure that implements them: the module wires the implementation in.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/application/' },
      to: { path: '^libs/[^/]+/src/infrastructure/' },
    },
    {
      name: 'domain-only-on-domain',
      comment:
        "Domain code imports only its own context's domain, the shared catalogue (libs/contracts) and the " +
        'pure shared libraries of the domain kernel (see the head of this file): no other context, no I/O library.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/src/domain/' },
      to: {
        path: '^libs/',
        pathNot: [
          '^libs/$1/src/domain/',
          '^libs/contracts/',
          PUBLISHED_RULES,
          '^libs/(event-sourcing|canonical-json|csv|market-generator)/src/index\\.ts$',
        ],
      },
    },
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
