/**
 * The server process (`npm start`): opens the warehouse at DB_PATH (default the embedded one),
 * loads demo data into an empty warehouse, creates the first users, and serves the API and the dashboard on PORT (default 8080). SIGINT/SIGTERM: stop accepting, finish open requests, close
 * the warehouse (which checkpoints it), exit.
 */
import { serve } from '@hono/node-server';
import { DEFAULT_DB_PATH, Warehouse } from '../pipelines/warehouse/warehouse.ts';
import { ensureDemoData } from '../pipelines/demo.ts';
import { createApp } from './app.ts';
import { ensureInitialUsers } from './users.ts';

const log = (m: string) => console.log(m);
const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT must be a TCP port, got "${process.env.PORT}"`);

const wh = await Warehouse.open(process.env.DB_PATH ?? DEFAULT_DB_PATH);
await ensureDemoData(wh, { log });
const users = await ensureInitialUsers(wh, { adminPassword: process.env.ADMIN_PASSWORD });
if (users.created.length) {
  log(`created users: ${users.created.map((u) => `${u.username} (${u.role}${u.team_id ? ` ${u.team_id}` : ''})`).join(', ')}`);
  log(users.generatedPassword
    ? `their password (shown once, change it): ${users.generatedPassword}`
    : 'their password is ADMIN_PASSWORD');
}

// This process owns the warehouse file, so every write goes through the app: answers can be kept.
const app = createApp({ wh, responseCache: process.env.RESPONSE_CACHE !== '0' });
const server = serve({ fetch: app.fetch, port }, (info) => log(`serving on http://localhost:${info.port} (warehouse ${wh.path})`));

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  log(`${signal}: shutting down …`);
  const force = setTimeout(() => {
    log('open requests did not finish within 10 s; closing anyway');
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  }, 10_000);
  force.unref();
  server.close(() => {
    try {
      wh.close();
    } finally {
      log('stopped');
      process.exit(0);
    }
  });
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
