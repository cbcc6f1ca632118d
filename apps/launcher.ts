import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm start`: runs the three apps and the console server as separate processes (as they run in production), prefixes
 * their output, and stops them all when one fails or on Ctrl-C.
 */
const apps = ['sellers', 'buyers', 'settlement', 'console'] as const;
const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
}

for (const app of apps) {
  const entry = fileURLToPath(new URL(`./${app}/src/main.js`, import.meta.url));
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The apps write to pipes here; they log readable lines when the person's terminal would show them.
    env: { LX_LOG_FORMAT: process.stdout.isTTY ? 'pretty' : 'json', ...process.env },
  });
  children.push(child);
  const prefix = `[${app}]`.padEnd(13);
  const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) stream.write(`${prefix}${line}\n`);
  };
  child.stdout!.on('data', forward(process.stdout));
  child.stderr!.on('data', forward(process.stderr));
  child.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`${prefix}exited with code ${code}; stopping the exchange\n`);
      stopAll(code ?? 1);
    } else if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(0);
  });
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
