import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { DisputeReport } from '../application/dispute-report.js';
import { disputeReportDocument, type Block } from '../application/dispute-report-document.js';

/*
 * The dispute report rendered for people. The PDF embeds DejaVu Sans (shipped by the
 * `dejavu-fonts-ttf` package) rather than being printed from the HTML by a browser: the
 * settlement app then needs no Chromium, renders in milliseconds, and the font covers Cyrillic,
 * Catalan and Spanish letters and typographic punctuation, which PDF's standard Latin-1 fonts
 * turn into "?". pdfkit embeds only the glyphs used, with a Unicode map, so text can be copied
 * and extracted exactly.
 */

const fonts = createRequire(import.meta.url);
const REGULAR = fonts.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = fonts.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'fields':
      return `<table class="fields">${block.rows
        .map(
          ([label, value]) =>
            `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
        )
        .join('')}</table>`;
    case 'table':
      return block.rows.length
        ? `<table class="grid"><thead><tr>${block.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${block.rows
            .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`
        : '<p>None.</p>';
  }
}

const STYLE = `body{font:15px/1.5 "DejaVu Sans",system-ui,sans-serif;color:#1c1f24;max-width:56rem;margin:2.5rem auto;padding:0 1.5rem}
h1{font-size:1.7rem;margin:0}.subtitle{color:#5b6270;margin:.25rem 0 2rem}
h2{font-size:1.1rem;border-bottom:2px solid #d6dae1;padding-bottom:.25rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
.fields th{text-align:left;vertical-align:top;width:14rem;padding:.3rem 1rem .3rem 0;color:#40454f;font-weight:600}
.fields td{padding:.3rem 0;word-break:break-word}.fields tr{border-bottom:1px solid #eceef2}
.grid th{text-align:left;background:#f1f3f6;padding:.35rem .5rem;font-weight:600;border-bottom:1px solid #d6dae1}
.grid td{padding:.35rem .5rem;border-bottom:1px solid #eceef2;vertical-align:top;word-break:break-word}
section:first-of-type p{font-size:1.05rem;background:#f6f8fb;border-left:4px solid #2f6fde;padding:.75rem 1rem}
section:last-of-type .grid{font:12px/1.4 "DejaVu Sans Mono",ui-monospace,monospace}
@media print{body{margin:0;max-width:none}}`;

export function renderDisputeReportHtml(report: DisputeReport): string {
  const document = disputeReportDocument(report);
  const sections = document.sections
    .map(
      (section) =>
        `<section><h2>${escapeHtml(section.title)}</h2>${section.blocks.map(blockHtml).join('')}</section>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(document.title)} — ${escapeHtml(report.allocationId)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(document.title)}</h1><p class="subtitle">${escapeHtml(document.subtitle)}</p>
${sections}</body></html>`;
}

const cell = (text: string, font: string, size: number) => ({ text, font: { src: font, size } });

const INK = '#1c1f24';
const MUTED = '#5b6270';
const RULE = '#d6dae1';

export function renderDisputeReportPdf(report: DisputeReport): Promise<Buffer> {
  const document = disputeReportDocument(report);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: {
        Title: `${document.title} ${report.allocationId}`,
        Subject: 'Dispute report',
        Creator: 'Lead Exchange',
      },
      lang: 'en',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('regular', REGULAR);
    doc.registerFont('bold', BOLD);
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

    doc.font('bold').fontSize(18).fillColor(INK).text(document.title);
    doc.font('regular').fontSize(9).fillColor(MUTED).text(document.subtitle).moveDown(1);
    for (const section of document.sections) {
      if (doc.y > doc.page.height - doc.page.margins.bottom - 80) doc.addPage();
      doc.font('bold').fontSize(12).fillColor(INK).text(section.title);
      const y = doc.y + 2;
      doc
        .moveTo(doc.page.margins.left, y)
        .lineTo(doc.page.margins.left + width, y)
        .lineWidth(1)
        .strokeColor(RULE)
        .stroke();
      doc.moveDown(0.5);
      for (const block of section.blocks) {
        doc.x = doc.page.margins.left;
        if (block.kind === 'paragraph')
          doc.font('regular').fontSize(9.5).fillColor(INK).text(block.text, { width });
        else if (block.kind === 'fields')
          doc.table({
            columnStyles: [140, '*'],
            defaultStyle: { border: { bottom: 0.5 }, borderColor: RULE, padding: 3 },
            data: block.rows.map(([label, value]) => [cell(label, BOLD, 9), cell(value, REGULAR, 9)]),
          });
        else if (block.rows.length) {
          const size = block.columns.length > 5 ? 7 : 8.5;
          doc.table({
            ...(block.widths ? { columnStyles: block.widths } : {}),
            defaultStyle: { border: 0.5, borderColor: RULE, padding: 3 },
            data: [
              block.columns.map((column) => ({
                ...cell(column, BOLD, size),
                type: 'TH' as const,
                backgroundColor: '#f1f3f6',
              })),
              ...block.rows.map((row) => row.map((text) => cell(text, REGULAR, size))),
            ],
          });
        } else doc.font('regular').fontSize(9.5).text('None.');
        doc.moveDown(0.6);
      }
      doc.moveDown(0.4);
    }
    doc.end();
  });
}
