import { formatPosition, type LogPosition } from '#lx/event-store';

/**
 * A progress bar on a terminal (stderr, so `--json` output stays clean); silent when stderr is
 * not a terminal. `total` may be an estimate (the bar stops at 100 %) or unknown (a counter).
 */
export class Progress {
  private readonly live = process.stderr.isTTY === true;
  private readonly started = performance.now();
  private lastDrawn = 0;

  constructor(
    private readonly label: string,
    private readonly total: number | null,
  ) {}

  update(done: number): void {
    if (!this.live) return;
    const now = performance.now();
    if (now - this.lastDrawn < 100) return;
    this.lastDrawn = now;
    const seconds = ((now - this.started) / 1000).toFixed(1);
    if (this.total && this.total > 0) {
      const share = Math.min(1, done / this.total);
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(
        `\r${this.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)} %  ${seconds} s `,
      );
    } else process.stderr.write(`\r${this.label}: ${done} events  ${seconds} s `);
  }

  done(): void {
    if (this.live && this.lastDrawn > 0) process.stderr.write('\r\x1b[K');
  }
}

/**
 * Progress for a program reading this process's stderr: at most four lines a second of
 * `progress {"eventsRead":…,"position":"c/p","total":…}` (`total`: the log position's sequence
 * number the replay runs to, or null when the store cannot say).
 */
export class ProgressLines {
  private lastWritten = 0;

  constructor(private readonly total: number | null) {}

  update(step: { eventsRead: number; position: LogPosition }): void {
    const now = performance.now();
    if (now - this.lastWritten < 250) return;
    this.lastWritten = now;
    const line = {
      eventsRead: step.eventsRead,
      position: formatPosition(step.position),
      sequence: Number(step.position.prepare),
      total: this.total || null,
    };
    process.stderr.write(`progress ${JSON.stringify(line)}\n`);
  }
}
