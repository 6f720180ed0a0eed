/**
 * The contract is the one module the dashboard's bundle takes from outside web/: it must stay pure
 * TypeScript — no node: module, nothing outside pipelines/contract/ — and export every file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../pipelines/warehouse/warehouse.ts';

const DIR = join(PROJECT_ROOT, 'pipelines', 'contract');
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
/** Every module specifier of a file: `import … from '…'`, a bare `import '…'`, `export … from '…'`, `import('…')`. */
const specifiers = (src: string) =>
  [
    ...src.matchAll(/^\s*import\s+(?:type\s+)?(?:[\w$*\s{},]+?\s+from\s+)?['"]([^'"]+)['"]/gm),
    ...src.matchAll(/^\s*export\s+(?:type\s+)?(?:\*|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/gm),
    ...src.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g),
  ].map((m) => m[1]!);

it('imports only its own files, by relative .ts paths', () => {
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) {
    for (const s of specifiers(readFileSync(join(DIR, f), 'utf8'))) {
      expect(s, `${f} imports ${s}`).toMatch(/^\.\/[a-z0-9-]+\.ts$/);
      expect(files, `${f} imports ${s}`).toContain(s.slice(2));
    }
  }
});

it('uses no Node built-in, not even a global one', () => {
  for (const f of files) {
    const src = readFileSync(join(DIR, f), 'utf8');
    expect(src, f).not.toMatch(/['"]node:/);
    expect(src, f).not.toMatch(/\b(process|Buffer|require|__dirname)\b/);
  }
});

it('index.ts re-exports every other file', () => {
  const index = specifiers(readFileSync(join(DIR, 'index.ts'), 'utf8')).map((s) => s.slice(2));
  expect(new Set(index)).toEqual(new Set(files.filter((f) => f !== 'index.ts')));
});
