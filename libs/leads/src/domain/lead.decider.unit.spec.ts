import { describe, it } from '@jest/globals';
import { deciderSpec } from '#lx/spec-helpers';
import { LeadNotFound } from './errors.js';
import { leadDecider, type LeadEvent } from './lead.decider.js';

const leadId = '7f1c0d2e-0000-4000-8000-000000000001';
const rejectedPost: LeadEvent = {
  type: 'LeadPostRejected',
  data: {
    leadId,
    sellerId: 'seller-1',
    vertical: 'eyewear',
    reasons: ['suppressed'],
    at: '2030-01-01T00:00:00.000Z',
  },
};

describe('the lead decider on a refused post', () => {
  const spec = deciderSpec(leadDecider);

  // A revocation finds the post's fingerprint claim before the post is refused: nothing to erase.
  it('knows no lead in a stream holding only LeadPostRejected', () => {
    spec
      .given([rejectedPost])
      .when({ type: 'EraseLead', leadId, sellerId: null, reason: 'consent_revoked' })
      .then(new LeadNotFound(leadId));
    spec
      .given([rejectedPost])
      .when({ type: 'WithdrawLead', leadId, sellerId: 'seller-1' })
      .then(new LeadNotFound(leadId));
  });
});
