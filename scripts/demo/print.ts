/** The demo's printed account: numbered steps, indented details, amounts in roubles. */

let step = 0;
const started = Date.now();

const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s`;

export function heading(title: string): void {
  step += 1;
  console.log(`\n[${elapsed()}] ${String(step).padStart(2)}. ${title}`);
}

export function line(text = ''): void {
  console.log(text ? `        ${text}` : '');
}

export function note(text: string): void {
  console.log(`        note: ${text}`);
}

/** Minor units (kopecks) as roubles: 3000000 → "30 000 RUB", 272727 → "2 727.27 RUB". */
export function money(minor: number | null | undefined, currency = 'RUB'): string {
  if (minor === null || minor === undefined) return '—';
  const sign = minor < 0 ? '−' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const cents = abs % 100;
  return `${sign}${whole}${cents ? `.${String(cents).padStart(2, '0')}` : ''} ${currency}`;
}

export function table(headers: string[], rows: (string | number)[][], align: ('l' | 'r')[] = []): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const render = (row: string[]) =>
    row
      .map((cell, column) =>
        align[column] === 'r' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  line(render(headers));
  line(widths.map((width) => '─'.repeat(width)).join('  '));
  for (const row of cells.slice(1)) line(render(row));
}

/** "a: 3, b: 2" from a histogram, largest first. */
export function topReasons(histogram: Record<string, number> | null | undefined, limit = 5): string {
  const entries = Object.entries(histogram ?? {}).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return 'none';
  return entries
    .slice(0, limit)
    .map(([reason, count]) => `${reason} ×${count}`)
    .join(', ');
}

export const short = (id: string) => id.slice(0, 8);
