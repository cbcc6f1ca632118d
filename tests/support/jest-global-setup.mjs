// Jest's global setup: an id for this test run, which every test's Redis key prefix starts with
// (`testRedisPrefix` in libs/testing), so that the global teardown can remove what the run left.
import { randomBytes } from 'node:crypto';

export default function globalSetup() {
  process.env.LX_TEST_RUN ??= randomBytes(3).toString('hex');
}
