import { describe, expect, it } from '@jest/globals';
import { describeFinding, type DisputeReport } from '../application/dispute-report.js';
import { renderDisputeReportHtml, renderDisputeReportPdf } from './dispute-report-documents.js';

const report: DisputeReport = {
  allocationId: 'alloc-1',
  generatedAt: '2026-11-23T12:00:00.000Z',
  allocation: {
    allocationId: 'alloc-1',
    leadId: 'lead-1',
    price: 60000,
    commission: 9000,
    proceeds: 51000,
    rule: 'exclusive-floor',
    position: '10/5',
  },
  lead: {
    leadId: 'lead-1',
    listing: { floor: 50000, attributes: { region: 'RU-MOW' } },
    personalData: 'erased',
    erasedAt: '2026-11-22T10:00:00Z',
  },
  orderAsOfAllocation: { terms: { bid: 60000, filters: { ageMin: 30 } }, position: '8/3' },
  returnRequest: { reason: 'other', text: '<script>not interested</script>', position: '12/7' },
  sellerResponse: null,
  escalation: null,
  decision: {
    outcome: 'rejected',
    rule: 'reason-not-returnable',
    decidedBy: 'system',
    rationale: '"Not interested" is not a defect of the lead.',
    position: '12/8',
  },
  settlement: null,
  finding: '',
  evidencePositions: ['10/5', '12/7', '12/8'],
  integrity: { ok: true, streamsChecked: 3, eventsChecked: 9 },
  timeline: [],
};
report.finding = describeFinding(report);

describe('dispute report documents', () => {
  it('states the finding with the rule, who decided and the evidence position', () => {
    expect(report.finding).toContain(
      'was rejected automatically under the rule "reason-not-returnable" at log position 12/8',
    );
    expect(report.finding).toContain('hash chains of every stream involved verify');
  });

  it('renders HTML with every value escaped and erased data shown as erased', () => {
    const html = renderDisputeReportHtml(report);
    expect(html).toContain('&lt;script&gt;not interested&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('erased (at 2026-11-22T10:00:00Z)');
  });

  it('renders a PDF document', async () => {
    const pdf = await renderDisputeReportPdf(report);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
  });
});
