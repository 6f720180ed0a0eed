/**
 * A refused file leaves no temporary copy behind (issue 11: failed XLSX uploads left empty temp
 * files). A write stream opens its file asynchronously, so the file is removed once the stream has
 * closed, not before: removed earlier, it would be created again by the pending open.
 */
import { once } from 'node:events';
import { rmSync, type WriteStream } from 'node:fs';

export async function discard(ws: WriteStream, out: string): Promise<void> {
  if (!ws.closed) {
    const closed = once(ws, 'close');
    ws.destroy();
    await closed.catch(() => undefined);
  }
  rmSync(out, { force: true });
}
