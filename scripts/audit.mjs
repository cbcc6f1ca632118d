// `npm run audit`: the audit CLI is part of the built exchange. Without a build, say what to run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/scripts/audit.js', import.meta.url));
if (!existsSync(built)) {
  console.error(
    'The audit CLI is not built yet: run `npm run build` (or `npm start` / `npm run demo`, which build), then this again.',
  );
  process.exit(1);
}
await import(built);
