import PDFDocument from 'pdfkit';
import type { DisputeReport } from '../application/dispute-report.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const show = (value: unknown) =>
  value === undefined || value === null
    ? '—'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** The report's sections as label/value rows, shared by the HTML and PDF documents. */
export function reportSections(report: DisputeReport): { title: string; rows: [string, string][] }[] {
  const a = report.allocation;
  const rows = (record: Record<string, unknown> | null, keys: string[]): [string, string][] =>
    record
      ? keys.filter((k) => record[k] !== undefined).map((k) => [k, show(record[k])])
      : [['—', 'none in the log']];
  return [
    { title: 'Finding', rows: [['finding', report.finding]] },
    {
      title: 'Allocation',
      rows: rows(a, [
        'allocationId',
        'leadId',
        'orderId',
        'buyerId',
        'sellerId',
        'currency',
        'price',
        'commission',
        'proceeds',
        'rule',
        'competingBids',
        'inputPosition',
        'position',
      ]),
    },
    {
      title: 'Lead as listed',
      rows: [
        ...rows(report.lead.listing, ['attributes', 'floor', 'exclusivity', 'quality', 'consent']),
        [
          'personal data',
          report.lead.personalData + (report.lead.erasedAt ? ` (at ${report.lead.erasedAt})` : ''),
        ],
      ],
    },
    {
      title: 'Order as of the allocation',
      rows: report.orderAsOfAllocation
        ? [
            ...rows(report.orderAsOfAllocation.terms, [
              'filters',
              'bid',
              'maxBid',
              'modifiers',
              'quantity',
              'budget',
            ]),
            ['position', report.orderAsOfAllocation.position],
          ]
        : [['—', 'not found in the log']],
    },
    { title: 'Return request', rows: rows(report.returnRequest, ['reason', 'text', 'evidence', 'position']) },
    {
      title: "Seller's response",
      rows: rows(report.sellerResponse, ['answer', 'statement', 'evidence', 'position']),
    },
    { title: 'Escalation', rows: rows(report.escalation, ['escalatedBy', 'reason', 'position']) },
    {
      title: 'Decision',
      rows: rows(report.decision, ['outcome', 'rule', 'decidedBy', 'rationale', 'position']),
    },
    { title: 'Settlement', rows: rows(report.settlement, ['outcome', 'position']) },
    {
      title: 'Evidence (log positions)',
      rows: report.timeline.map((e) => [
        e.position,
        `${e.type} on ${e.stream}@${e.revision} by ${e.actor} at ${e.occurredAt}; hash ${e.hash.slice(0, 16)}…`,
      ]),
    },
  ];
}

export function renderDisputeReportHtml(report: DisputeReport): string {
  const sections = reportSections(report)
    .map(
      (section) =>
        `<h2>${escapeHtml(section.title)}</h2><table>${section.rows
          .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
          .join('')}</table>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dispute report ${escapeHtml(report.allocationId)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;max-width:60rem;margin:2rem auto}th{text-align:left;vertical-align:top;padding-right:1rem;white-space:nowrap}td{word-break:break-word}table{border-collapse:collapse;margin-bottom:1rem}tr{border-bottom:1px solid #ddd}</style>
</head><body><h1>Dispute report — allocation ${escapeHtml(report.allocationId)}</h1><p>Generated ${escapeHtml(report.generatedAt)} from the event log.</p>
${sections}</body></html>`;
}

/** PDF's standard fonts cover Latin-1 only; anything else is transliterated to '?' rather than dropped silently. */
const latin1 = (text: string) => text.replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?');

export function renderDisputeReportPdf(report: DisputeReport): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 48,
      info: { Title: `Dispute report ${report.allocationId}` },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(16).text(latin1(`Dispute report - allocation ${report.allocationId}`));
    doc
      .fontSize(9)
      .text(latin1(`Generated ${report.generatedAt} from the event log.`))
      .moveDown();
    for (const section of reportSections(report)) {
      doc.fontSize(12).text(latin1(section.title), { underline: true });
      for (const [label, value] of section.rows) doc.fontSize(9).text(latin1(`${label}: ${value}`));
      doc.moveDown(0.5);
    }
    doc.end();
  });
}
