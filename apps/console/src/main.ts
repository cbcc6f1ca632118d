import { fileURLToPath } from 'node:url';
import { loadConsoleConfig } from './console-config.js';
import { createConsoleServer } from './console-server.js';

/** The console server (`npm start` runs it beside the three apps). */
const config = loadConsoleConfig();
const root = config.root ?? fileURLToPath(new URL('../../../console', import.meta.url));
const app = createConsoleServer(config, root);
const server = app.listen(config.port, config.host, () => {
  const shown = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  process.stdout.write(`console  http://${shown}:${config.port}\n`);
});
server.on('error', (error) => {
  process.stderr.write(`console: ${error.message}\n`);
  process.exit(1);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
