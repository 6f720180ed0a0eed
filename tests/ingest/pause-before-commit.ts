/**
 * Child process of crash.test.ts: ingests `<file>` as tickets into `<db>` and, inside the batch's
 * transaction just before COMMIT, prints PAUSED_BEFORE_COMMIT and waits to be killed — through the
 * ingestion's `hooks.beforeCommit`, so the product code carries no test switch.
 */
import { ingestFile } from '../../pipelines/ingest/ingest.ts';
import { Warehouse } from '../../pipelines/warehouse/warehouse.ts';

const [file, db] = process.argv.slice(2);
if (!file || !db) throw new Error('usage: pause-before-commit.ts <file> <db>');
const wh = await Warehouse.open(db);
await ingestFile(wh, 'tickets', file, {
  hooks: {
    async beforeCommit(batchId) {
      process.stdout.write(`PAUSED_BEFORE_COMMIT ${batchId}\n`);
      await new Promise((res) => setTimeout(res, 60_000));
    },
  },
});
wh.close();
