import { describe } from '@jest/globals';
import { describeEventStoreContract, otherConnections } from '../testing/event-store.contract.js';
import { contractTestCatalogue } from '../testing/test-catalogue.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

const connectionString = process.env.LX_EVENTSTOREDB_URL;

// The EventStoreDB adapter runs only when its connection string is set: CI has no Docker, so the
// contract suite always runs against PostgreSQL and against EventStoreDB on demand, e.g.
// `LX_EVENTSTOREDB_URL=esdb://localhost:2113?tls=false` with the server from docker-compose.yml.
const describeIfEsdb = connectionString ? describe : describe.skip;

describeIfEsdb('EventStoreDB adapter', () => {
  describeEventStoreContract('EventStoreDB', async () => {
    const connect = () =>
      EventStoreDbEventStore.connect({
        connectionString: connectionString!,
        registry: contractTestCatalogue,
      });
    const store = await connect();
    const others = otherConnections(connect);
    return {
      store,
      atomicMultiStreamAppends: false,
      // No backdoor: ESDB events cannot be altered or removed underneath the client, and a
      // delayed commit cannot be staged through it.
      reconnect: others.reconnect,
      cleanup: async () => {
        await store.close();
        await others.closeAll();
      },
    };
  });
});
