import type pg from 'pg';
import { ping } from '../../db/database.js';
import type { HttpApp } from '../app.js';

/** GET /health: 200 when the database answers, 503 naming the failing part otherwise. */
export function healthRoutes(app: HttpApp, pool: pg.Pool, version: string): void {
  app.get('/health', { config: { public: true } }, async (_req, reply) => {
    const database = (await Promise.race([ping(pool), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))])) ? 'ok' : 'error';
    const status = database === 'ok' ? 'ok' : 'error';
    return reply.code(status === 'ok' ? 200 : 503).header('cache-control', 'no-store').send({ status, database, version });
  });
}
