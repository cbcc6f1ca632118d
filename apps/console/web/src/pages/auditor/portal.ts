import { lazy } from 'react';
import type { Portal } from '../../app/portal';

/** The auditor's workbench: find anything, read its history, explain an allocation, decide disputes, prove the log. */
export const auditorPortal: Portal = {
  role: 'auditor',
  root: '/auditor',
  pages: [
    { path: 'find', label: 'auditor.nav.find', component: lazy(() => import('./FindPage')) },
    { path: 'disputes', label: 'auditor.nav.disputes', component: lazy(() => import('./DisputesPage')) },
    { path: 'proofs', label: 'auditor.nav.proofs', component: lazy(() => import('./ProofsPage')) },
    {
      path: 'timeline/:kind/:id',
      label: 'auditor.nav.timeline',
      nav: false,
      component: lazy(() => import('./TimelinePage')),
    },
    {
      path: 'allocations/:allocationId',
      label: 'auditor.nav.explanation',
      nav: false,
      component: lazy(() => import('./ExplanationPage')),
    },
    {
      path: 'disputes/:allocationId/report',
      label: 'auditor.nav.report',
      nav: false,
      component: lazy(() => import('./ReportPage')),
    },
  ],
};
