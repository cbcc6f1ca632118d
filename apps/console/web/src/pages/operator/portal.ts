import { lazy } from 'react';
import type { Portal } from '../../app/portal';

/** The operator's pages (each loaded when first opened). */
export const operatorPortal: Portal = {
  role: 'operator',
  root: '/operator',
  pages: [
    {
      path: 'participants',
      label: 'operator.nav.participants',
      component: lazy(() => import('./ParticipantsPage')),
    },
    {
      path: 'participants/:participantId',
      label: 'operator.nav.participant',
      nav: false,
      component: lazy(() => import('./ParticipantPage')),
    },
    { path: 'markets', label: 'operator.nav.markets', component: lazy(() => import('./MarketsPage')) },
    {
      path: 'markets/:vertical',
      label: 'operator.nav.market',
      nav: false,
      component: lazy(() => import('./MarketPage')),
    },
    {
      path: 'do-not-contact',
      label: 'operator.nav.doNotContact',
      component: lazy(() => import('./DoNotContactPage')),
    },
    {
      path: 'authenticity',
      label: 'operator.nav.authenticity',
      component: lazy(() => import('./AuthenticityPage')),
    },
    { path: 'funds', label: 'operator.nav.funds', component: lazy(() => import('./FundsPage')) },
    { path: 'ledger', label: 'operator.nav.ledger', component: lazy(() => import('./LedgerPage')) },
    { path: 'system', label: 'operator.nav.system', component: lazy(() => import('./SystemPage')) },
  ],
};
