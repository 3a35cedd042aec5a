import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded.js';
import { freePort } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTarget: string;
  }
}

/**
 * One PostgreSQL for the whole run: the embedded cluster (fsync off, in a temporary folder), or the
 * server named by CHARTROOM_TEST_DATABASE_URL when CHARTROOM_TEST_TARGET=external. Each test file
 * creates its own database in it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.CHARTROOM_TEST_TARGET === 'external';
  if (external) {
    const url = process.env.CHARTROOM_TEST_DATABASE_URL;
    if (!url) throw new Error('CHARTROOM_TEST_TARGET=external needs CHARTROOM_TEST_DATABASE_URL');
    project.provide('pgAdminUrl', url);
    project.provide('pgTarget', 'external');
    return () => Promise.resolve();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-test-pg-'));
  const pg = await startEmbeddedPostgres({
    clusterDir: path.join(dir, 'pg'),
    port: await freePort(),
    password: 'test-only-password',
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  project.provide('pgAdminUrl', pg.urlFor('postgres'));
  project.provide('pgTarget', 'embedded');
  return async () => {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
