/**
 * The folder tells the architecture (README, "Tour of the folders"): data flows
 * pipelines → sql → server → web, and the only code the dashboard shares with the rest is the
 * contract module (pipelines/contract, imported in web/ as `$contract`). This test reads every
 * TypeScript and Svelte import of the tree (type-only imports too: a type cycle is still a cycle)
 * and fails on an import cycle or an import against the flow, naming the files.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const AREAS = ['pipelines', 'server', 'web/src', 'scripts', 'tests'];
const ALIASES: Record<string, string> = { $lib: 'web/src/lib', $contract: 'pipelines/contract' };

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|svelte)$/.test(e) && !e.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The module specifiers a file imports (static, dynamic, re-exports, type-only). */
function specifiers(file: string): string[] {
  let text = readFileSync(file, 'utf8');
  if (file.endsWith('.svelte')) text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The project file a specifier names, or null for a package or a SvelteKit virtual module. */
function resolveImport(from: string, spec: string): string | null {
  let base: string;
  const alias = Object.keys(ALIASES).find((a) => spec === a || spec.startsWith(a + '/'));
  if (alias) base = join(ROOT, ALIASES[alias]!, spec.slice(alias.length));
  else if (/\/\$types$/.test(spec)) return null; // SvelteKit's generated route types
  else if (spec.startsWith('.')) base = resolve(dirname(from), spec);
  else return null;
  const candidates = [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return c;
  throw new Error(`${relative(ROOT, from)}: cannot resolve import "${spec}"`);
}

const graph = new Map<string, string[]>();
for (const area of AREAS) {
  for (const f of files(join(ROOT, area))) {
    const deps = specifiers(f).map((s) => resolveImport(f, s)).filter((d): d is string => d !== null);
    graph.set(relative(ROOT, f), deps.map((d) => relative(ROOT, d)));
  }
}

/** Strongly connected components of more than one file (or a file importing itself): Tarjan. */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const area = (f: string) => (f.startsWith('pipelines/contract/') ? 'contract' : f.split('/')[0]!);

/** Which areas each area may import (besides itself). Scripts run the whole app; tests check every part. */
const ALLOWED: Record<string, string[]> = {
  contract: [],
  pipelines: ['contract'],
  server: ['pipelines', 'contract'],
  web: ['contract'],
  scripts: ['pipelines', 'contract', 'server', 'scripts'],
  tests: ['pipelines', 'contract', 'server', 'scripts', 'web'],
};

describe('import graph', () => {
  it('reads a real tree', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('server/app.ts')?.length).toBeGreaterThan(3);
  });

  it('has no import cycle', () => {
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('imports only along the flow pipelines → server → web, sharing only the contract', () => {
    const wrong: string[] = [];
    for (const [f, deps] of graph) {
      const a = area(f);
      for (const d of deps) {
        const b = area(d);
        if (a !== b && !ALLOWED[a]!.includes(b)) wrong.push(`${f} → ${d}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the contract pure: no Node modules and no package imports', () => {
    const impure: string[] = [];
    for (const f of graph.keys()) {
      if (area(f) !== 'contract') continue;
      for (const s of specifiers(join(ROOT, f))) if (!s.startsWith('.')) impure.push(`${f} imports ${s}`);
    }
    expect(impure).toEqual([]);
  });

  it('finds a cycle and a wrong-way import when there is one (the checker itself)', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(area('pipelines/contract/months.ts')).toBe('contract');
    expect(ALLOWED.pipelines).not.toContain('server');
    expect(ALLOWED.web).not.toContain('pipelines');
  });
});
