/** Messages shared by every page: the frame, sign-in, states, and the names of things. */
export const common = {
  app: { name: 'Lead Exchange', console: 'Console', skipToContent: 'Skip to content', menu: 'Menu' },
  language: 'Language',
  signIn: {
    title: 'Sign in',
    intro:
      'Paste the API key the exchange issued to you. It stays in this browser tab only and is forgotten when you sign out or close the tab.',
    apiKey: 'API key',
    submit: 'Sign in',
    invalid: 'The exchange did not accept this key.',
    required: 'Paste your API key.',
  },
  signOut: 'Sign out',
  signedInAs: 'Signed in as {{name}} ({{role}})',
  roles: { seller: 'seller', buyer: 'buyer', auditor: 'auditor', operator: 'operator' },
  state: {
    loading: 'Loading…',
    empty: 'Nothing here yet.',
    error: 'Something went wrong',
    retry: 'Try again',
    loadMore: 'Load more',
    notFound: 'This page does not exist.',
  },
  actions: {
    cancel: 'Cancel',
    confirm: 'Confirm',
    save: 'Save',
    download: 'Download',
    downloadCsv: 'Download CSV',
    details: 'Details',
    back: 'Back',
  },
  table: { sortAscending: 'sorted ascending', sortDescending: 'sorted descending', noRows: 'No rows.' },
  roleNotInPart: 'The {{role}} pages are not in the console yet; use the API.',
  answered: 'The exchange answered: {{text}}',
};
