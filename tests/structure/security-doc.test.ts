/**
 * docs/security.md is "kept true by the tests it names": every test file it names exists, and every
 * test or group it quotes after a file ("…") is declared in that file. Renaming or deleting a
 * defence's test without updating the threat model fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../pipelines/warehouse/warehouse.ts';

const DOC = readFileSync(join(PROJECT_ROOT, 'docs', 'security.md'), 'utf8');

it('every test docs/security.md names exists and declares the quoted names', () => {
  const refs: { file: string; names: string[] }[] = [];
  // `tests/x.test.ts "a", "b"` — a file, then the quoted names that belong to it.
  for (const m of DOC.matchAll(/(tests\/[\w/.-]+\.test\.ts)((?:\s*"[^"]+",?)*)/g)) {
    refs.push({ file: m[1]!, names: [...m[2]!.matchAll(/"([^"]+)"/g)].map((n) => n[1]!) });
  }
  expect(refs.length).toBeGreaterThan(15);
  const problems: string[] = [];
  for (const { file, names } of refs) {
    const path = join(PROJECT_ROOT, file);
    if (!existsSync(path)) {
      problems.push(`${file}: no such test file`);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    for (const n of names) if (!text.includes(n)) problems.push(`${file}: declares no test or group "${n}"`);
  }
  expect(problems).toEqual([]);
});
