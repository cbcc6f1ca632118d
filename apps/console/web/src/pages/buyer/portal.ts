import { lazy } from 'react';
import type { Portal } from '../../app/portal';

/** The buyer's pages (each loaded when first opened). */
export const buyerPortal: Portal = {
  role: 'buyer',
  root: '/buyer',
  pages: [
    { path: 'dashboard', label: 'buyer.nav.dashboard', component: lazy(() => import('./DashboardPage')) },
    { path: 'orders/new', label: 'buyer.nav.newOrder', component: lazy(() => import('./OrderBuilderPage')) },
    { path: 'orders', label: 'buyer.nav.orders', component: lazy(() => import('./OrdersPage')) },
    {
      path: 'orders/:orderId',
      label: 'buyer.nav.order',
      nav: false,
      component: lazy(() => import('./OrderPage')),
    },
    { path: 'leads', label: 'purchases.nav.leads', component: lazy(() => import('./PurchasedLeadsPage')) },
    {
      path: 'orders/:orderId/report',
      label: 'purchases.report.title',
      nav: false,
      component: lazy(() => import('./OrderReportPage')),
    },
    { path: 'delivery', label: 'purchases.nav.delivery', component: lazy(() => import('./DeliveryPage')) },
    { path: 'funds', label: 'purchases.nav.funds', component: lazy(() => import('./FundsPage')) },
  ],
};
