import { lazy } from 'react';
import type { Portal } from '../../app/portal';

/** The seller's pages (each loaded when first opened); the dashboard is the portal's home. */
export const sellerPortal: Portal = {
  role: 'seller',
  root: '/seller',
  pages: [
    { path: 'dashboard', label: 'seller.nav.dashboard', component: lazy(() => import('./DashboardPage')) },
    { path: 'upload', label: 'seller.nav.upload', component: lazy(() => import('./UploadPage')) },
    { path: 'batches', label: 'seller.nav.batches', component: lazy(() => import('./BatchesPage')) },
    {
      path: 'batches/:batchId',
      label: 'seller.nav.batch',
      nav: false,
      component: lazy(() => import('./BatchPage')),
    },
    { path: 'leads', label: 'seller.nav.leads', component: lazy(() => import('./LeadsPage')) },
    {
      path: 'leads/:leadId',
      label: 'seller.nav.lead',
      nav: false,
      component: lazy(() => import('./LeadPage')),
    },
    { path: 'returns', label: 'seller.nav.returns', component: lazy(() => import('./ReturnsPage')) },
    { path: 'statement', label: 'seller.nav.statement', component: lazy(() => import('./StatementPage')) },
  ],
};
