import { lazy } from 'react';
import type { Portal } from '../../app/portal';

/** The buyer's pages (each loaded when first opened). */
export const buyerPortal: Portal = {
  role: 'buyer',
  root: '/buyer',
  pages: [{ path: 'funds', label: 'buyer.nav.funds', component: lazy(() => import('./FundsPage')) }],
};
