import { randomUUID } from 'node:crypto';
import { ensureDatabase, loadConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { connectEventStore } from '#lx/event-store';
import { generateApiKey, hashApiKey, participantDecider, participantStream } from '#lx/access';

/**
 * `npm run setup:operator -- "Operations team"`: registers an operator and prints its API key
 * once. Use it (or LX_OPERATOR_API_KEY) to get the first operator key.
 */
const name = process.argv[2] ?? 'Exchange operator';
const config = loadConfig();
await ensureDatabase(config.LX_DATABASE_URL);
const store = await connectEventStore({
  kind: config.LX_EVENT_STORE,
  postgresUrl: config.LX_DATABASE_URL,
  eventStoreDbUrl: config.LX_EVENTSTOREDB_URL,
  registry: eventCatalogue,
});
const participantId = randomUUID();
const { apiKey, keyId, prefix } = generateApiKey(participantId);
const { decide, evolve, initialState } = participantDecider;
const registered = decide({ kind: 'register', participantId, role: 'operator', name }, initialState);
const issued = decide(
  { kind: 'issue-key', keyId, prefix, hash: await hashApiKey(apiKey) },
  registered.reduce(evolve, initialState),
);
await store.appendToStream(
  participantStream(participantId),
  [...registered, ...issued].map((event) => ({ ...event, metadata: { actor: 'setup:operator' } })),
  { expectedRevision: 'no_stream' },
);
await store.close();
console.log(`Operator "${name}" registered: ${participantId}`);
console.log(`API key (shown once, keep it safe):\n${apiKey}`);
