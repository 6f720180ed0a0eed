/**
 * Progress of a long run: the callback the pipelines report to (ingest phases, bytes, rows), and a
 * one-line display of it for the CLI on a terminal (phases, bytes, elapsed time).
 */

/** A phase name, and optionally how far along it is (bytes or rows) out of a total. */
export type Progress = (phase: string, done?: number, total?: number) => void;

export function terminalProgress(out: NodeJS.WriteStream): { update: Progress; done: () => void } {
  const start = Date.now();
  let last = 0;
  const update: Progress = (phase, done, total) => {
    const now = Date.now();
    if (now - last < 100 && done !== total) return;
    last = now;
    const secs = ((now - start) / 1000).toFixed(1);
    let bar = '';
    if (done !== undefined && total) {
      const f = Math.min(1, done / total);
      const w = 30;
      bar = ` [${'#'.repeat(Math.round(f * w)).padEnd(w, '.')}] ${(f * 100).toFixed(0)}% of ${(total / 1e6).toFixed(1)} MB`;
    } else if (done !== undefined) bar = ` ${done.toLocaleString()} rows`;
    out.write(`\r\x1b[2K${phase}${bar}  ${secs} s`);
  };
  return { update, done: () => out.write('\r\x1b[2K') };
}
