/** The seller portal's messages. */
export const seller = {
  nav: {
    dashboard: 'Dashboard',
    upload: 'Upload',
    batches: 'Batches',
    leads: 'Leads',
    returns: 'Returns',
    statement: 'Statement',
  },
  batchStatus: { verifying: 'verifying', verified: 'verified', withdrawn: 'withdrawn' },
  batches: {
    title: 'Batches',
    caption: 'Your batches, newest first',
    empty: 'No batches yet: upload a file to list leads.',
    submittedAt: 'Submitted',
    vertical: 'Market',
    status: 'Status',
    progress: 'Verified',
    accepted: 'Accepted',
    rejected: 'Rejected',
    floor: 'Floor',
  },
};
