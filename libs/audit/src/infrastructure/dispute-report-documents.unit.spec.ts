import { describe, expect, it } from '@jest/globals';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describeFinding, type DisputeReport } from '../application/dispute-report.js';
import { renderDisputeReportHtml, renderDisputeReportPdf } from './dispute-report-documents.js';

const seller = '0b0c6a52-5a52-4a55-9a35-000000000001';
const buyer = '0b0c6a52-5a52-4a55-9a35-000000000002';
const rival = '0b0c6a52-5a52-4a55-9a35-000000000003';
const auditor = '0b0c6a52-5a52-4a55-9a35-000000000004';

function disputeReport(overrides: Partial<DisputeReport> = {}): DisputeReport {
  const report: DisputeReport = {
    allocationId: 'alloc-1',
    generatedAt: '2026-11-23T12:00:00.000Z',
    participants: {
      [seller]: { id: seller, name: 'Лиды Столицы ООО', role: 'seller' },
      [buyer]: { id: buyer, name: 'Òptica Premium S.L.', role: 'buyer' },
      [rival]: { id: rival, name: 'Col·legi Visió Barcelona', role: 'buyer' },
      [auditor]: { id: auditor, name: 'Audit & Co', role: 'auditor' },
    },
    market: { vertical: 'eyewear', currency: 'RUB', locale: 'ru-RU' },
    returnWindow: {
      hours: 72,
      source: 'market settings',
      opensAt: '2026-11-20T10:00:00.000Z',
      closesAt: '2026-11-23T10:00:00.000Z',
      requestedAt: '2026-11-21T09:30:00.000Z',
      filedInTime: true,
    },
    refund: { amount: 60000, creditedTo: 'available', position: '14/2' },
    allocation: {
      allocationId: 'alloc-1',
      leadId: 'lead-1',
      orderId: 'order-1',
      buyerId: buyer,
      sellerId: seller,
      at: '2026-11-20T10:00:00.000Z',
      price: 60000,
      commission: 9000,
      proceeds: 51000,
      rule: 'exclusive-second-price',
      competingBids: [
        { orderId: 'order-1', buyerId: buyer, effectiveBid: 65000 },
        { orderId: 'order-2', buyerId: rival, effectiveBid: 60000 },
      ],
      position: '10/5',
    },
    lead: {
      leadId: 'lead-1',
      listing: {
        floor: 50000,
        attributes: {
          age: 34,
          country: 'RU',
          region: 'RU-MOW',
          interests: ['eyewear'],
          stage: 'MQL',
          sourceChannel: 'search',
          capturedAt: '2026-11-19T08:00:00.000Z',
          contacts: { phone: { present: true, verified: true }, email: { present: false, verified: false } },
        },
        exclusivity: { kind: 'exclusive' },
        quality: {
          score: 81,
          parts: { completeness: 70, verification: 100, freshness: 90, sellerHistory: 64 },
        },
        consent: {
          textVersion: 'v3',
          textHash: 'a'.repeat(64),
          pageUrl: 'https://ochki.example/zayavka',
          capturedAt: '2026-11-19T08:00:00.000Z',
          sellersNamed: ['Лиды Столицы ООО'],
        },
      },
      personalData: 'erased',
      erasedAt: '2026-11-22T10:00:00.000Z',
      erasureReason: 'consent_revoked',
    },
    orderAsOfAllocation: { terms: { bid: 65000, filters: { ageMin: 30 } }, position: '8/3' },
    returnRequest: {
      reason: 'invalid_phone',
      text: 'Номер не обслуживается — «абонент недоступен»…',
      evidence: [
        { kind: 'call_log', description: 'Tres trucades; el número no existeix', reference: 'crm-881' },
      ],
      position: '12/7',
    },
    sellerResponse: null,
    escalation: null,
    automaticRules: [
      {
        rule: 'return-window-elapsed',
        outcome: 'passed',
        detail:
          'Requested at 2026-11-21T09:30:00.000Z, before the return window closed at 2026-11-23T10:00:00.000Z',
        at: '2026-11-21T09:30:01.000Z',
        position: '13/1',
      },
    ],
    decision: {
      outcome: 'accepted',
      rule: 'auditor-decision',
      decidedBy: auditor,
      rationale: 'The carrier lookup confirms the number was never assigned.',
      position: '13/1',
    },
    settlement: null,
    finding: '',
    evidencePositions: ['10/5', '12/7', '13/1'],
    integrity: { ok: true, streamsChecked: 3, eventsChecked: 9 },
    timeline: [
      {
        position: '10/5',
        stream: 'market-eyewear',
        revision: 4,
        type: 'LeadAllocated',
        actor: 'system',
        occurredAt: '2026-11-20T10:00:00.000Z',
        recordedAt: '2026-11-20T10:00:00.000Z',
        hash: 'f'.repeat(64),
        previousHash: 'e'.repeat(64),
        summary: null,
        data: {},
      },
    ],
    ...overrides,
  };
  report.finding = describeFinding(report);
  return report;
}

async function pdfText(pdf: Buffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages.join('\n');
}

describe('dispute report documents', () => {
  it('states the finding with the rule, who decided by name and the evidence position', () => {
    const report = disputeReport();
    expect(report.finding).toContain(
      'was accepted by Audit & Co under the rule "auditor-decision" at log position 13/1',
    );
    expect(report.finding).toContain('hash chains of every stream involved verify');
  });

  it('names participants, shows money in the market locale and who bore the refund', () => {
    const html = renderDisputeReportHtml(disputeReport());
    expect(html).toContain('Лиды Столицы ООО');
    expect(html).toContain('Òptica Premium S.L.');
    expect(html).not.toContain(seller);
    expect(html).toContain('600,00 RUB');
    expect(html).toContain('510,00 RUB of proceeds taken back');
    expect(html).toContain('90,00 RUB of commission reversed');
    expect(html).toContain('sets the price');
    expect(html).toContain('Filed in time</th><td>yes');
    expect(html).toContain('Phone verified');
  });

  it('lists the automatic rules applied to the return, with what each found and where', () => {
    const html = renderDisputeReportHtml(disputeReport());
    expect(html).toContain('<h2>Automatic rules applied</h2>');
    expect(html).toMatch(
      /<td>return-window-elapsed<\/td><td>holds; did not decide<\/td><td>Requested at [^<]+<\/td><td>13\/1<\/td>/,
    );
    const none = renderDisputeReportHtml(disputeReport({ automaticRules: [] }));
    expect(none).toContain('No automatic rule is recorded for this return.');
  });

  it('says a rejected return leaves the money where the sale put it', () => {
    const html = renderDisputeReportHtml(
      disputeReport({
        refund: null,
        decision: {
          outcome: 'rejected',
          rule: 'return-window-elapsed',
          decidedBy: 'system',
          rationale: 'Filed after the window closed.',
          position: '13/1',
        },
      }),
    );
    expect(html).toContain(
      'No refund: the sale stands. The seller keeps 510,00 RUB; the exchange keeps 90,00 RUB.',
    );
    expect(html).toContain('the exchange (automatic rule)');
  });

  it('shows the order as it stood, its delivery schedule and caps in words', () => {
    const html = renderDisputeReportHtml(
      disputeReport({
        orderAsOfAllocation: {
          terms: {
            bid: 65000,
            quantity: 50,
            budget: 3_250_000,
            hourlyCapCount: 5,
            schedule: {
              timeZone: 'Europe/Moscow',
              windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
            },
            exclusivity: 'any',
            filters: { ageMin: 30, regions: ['RU-MOW', 'RU-SPE'] },
          },
          position: '8/3',
        },
      }),
    );
    expect(html).toContain('The order as it stood');
    expect(html).toContain('Mon–Fri 09:00–18:00 (Europe/Moscow)');
    expect(html).toContain('5 leads per clock hour (UTC)');
    expect(html).toContain('ageMin: 30; regions: RU-MOW, RU-SPE');
    expect(renderDisputeReportHtml(disputeReport())).toContain('none: leads accepted at any time');
  });

  it('escapes every value and shows erased data as erased', () => {
    const html = renderDisputeReportHtml(
      disputeReport({
        returnRequest: {
          reason: 'other',
          text: '<script>not interested</script>',
          evidence: [],
          position: '12/7',
        },
      }),
    );
    expect(html).toContain('&lt;script&gt;not interested&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Erased on 2026-11-22 10:00 UTC after the person revoked consent');
  });

  it('renders a PDF whose text keeps Cyrillic, Catalan and typographic characters intact', async () => {
    const pdf = await renderDisputeReportPdf(disputeReport());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('Лиды Столицы ООО');
    expect(text).toContain('Col·legi Visió Barcelona');
    expect(text).toContain('«абонент недоступен»…');
    expect(text).toContain('600,00 RUB');
    expect(text).not.toContain('?');
  });
});
