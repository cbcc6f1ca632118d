/** The projections an app hosts (runs), as given to ProjectionsHostModule.forRoot. */
export const HOSTED_PROJECTIONS = Symbol('HOSTED_PROJECTIONS');
