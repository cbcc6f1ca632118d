import { lazy } from 'react';
import type { Portal } from '../../app/portal';

/** The seller's pages (each loaded when first opened). */
export const sellerPortal: Portal = {
  role: 'seller',
  root: '/seller',
  pages: [{ path: 'batches', label: 'seller.nav.batches', component: lazy(() => import('./BatchesPage')) }],
};
