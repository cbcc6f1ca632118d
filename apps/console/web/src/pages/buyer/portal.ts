import { lazy } from 'react';
import type { Portal } from '../../app/portal';

/** The buyer's pages (each loaded when first opened). */
export const buyerPortal: Portal = {
  role: 'buyer',
  root: '/buyer',
  pages: [
    { path: 'funds', label: 'purchases.nav.funds', component: lazy(() => import('./FundsPage')) },
    { path: 'leads', label: 'purchases.nav.leads', component: lazy(() => import('./PurchasedLeadsPage')) },
    {
      path: 'orders/:orderId/report',
      label: 'purchases.report.title',
      nav: false,
      component: lazy(() => import('./OrderReportPage')),
    },
    { path: 'delivery', label: 'purchases.nav.delivery', component: lazy(() => import('./DeliveryPage')) },
  ],
};
