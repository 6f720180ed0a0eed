/** The readers–writer lock that keeps a mutation's transaction alone on the shared connection. */
import { expect, it } from 'vitest';
import { RwLock } from '../../server/lock.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

it('readers share, a writer waits for them and runs alone, later readers wait for the writer', async () => {
  const lock = new RwLock();
  const log: string[] = [];
  let release1!: () => void;
  const r1 = lock.read(() => new Promise<void>((res) => { log.push('r1 start'); release1 = () => { log.push('r1 end'); res(); }; }));
  const r2 = lock.read(async () => { log.push('r2'); });
  await tick();
  const w = lock.write(async () => { log.push('w start'); await tick(); log.push('w end'); });
  const r3 = lock.read(async () => { log.push('r3'); });
  await tick();
  expect(log).toEqual(['r1 start', 'r2']);
  release1();
  await Promise.all([r1, r2, w, r3]);
  expect(log).toEqual(['r1 start', 'r2', 'r1 end', 'w start', 'w end', 'r3']);
});

it('releases the lock when the holder throws', async () => {
  const lock = new RwLock();
  await expect(lock.write(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  expect(await lock.read(async () => 'ok')).toBe('ok');
});
