/**
 * Deterministic randomness for the demo-data generator.
 *
 * Every random value is a pure function of (seed, entity index, field name): nothing depends on
 * thread scheduling, so the same options give byte-identical files. DuckDB's `random()` is never
 * used. In SQL a row first computes `hi = hash(i)` once; a field's uniform is then
 * `hash(hi XOR salt(seed, field))`, where the salt is a 64-bit hash of the seed and field name
 * computed here in JS. DuckDB's integer `hash()` is a full 64-bit mixer, so fields of the same row
 * are independent (checked in tests/generate.test.ts).
 */

const MASK = (1n << 64n) - 1n;

export function splitmix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

export function fnv1a64(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & MASK;
  }
  return h;
}

/** 2^53: uniforms are the top 53 bits of a 64-bit hash, so they lie in [0, 1). */
const TWO53 = 9007199254740992;

export class Rng {
  constructor(readonly seed: number) {}

  /** 64-bit salt for one field name under this seed. */
  salt(field: string): bigint {
    return splitmix64(fnv1a64(`${this.seed}\u0000${field}`));
  }

  /**
   * SQL expression: uniform in [0, 1) for the entity whose `hash(index)` is the SQL expression
   * `h` (default the column `hi`), and the given field name.
   */
  u(field: string, h = 'hi'): string {
    return `((hash(xor(${h}, ${this.salt(field)}::UBIGINT)) >> 11)::DOUBLE / ${TWO53}.0)`;
  }

  /** SQL expression: a 64-bit hash (UBIGINT) for (entity, field), for digits and codes. */
  bits(field: string, h = 'hi'): string {
    return `hash(xor(${h}, ${this.salt(field)}::UBIGINT))`;
  }

  /** JS: uniform in [0, 1) for (index, field); used for the small reference tables. */
  js(index: number, field: string): number {
    const x = splitmix64(this.salt(field) ^ splitmix64(BigInt(index)));
    return Number(x >> 11n) / TWO53;
  }

  /** JS: integer in [0, n). */
  jsInt(index: number, field: string, n: number): number {
    return Math.min(n - 1, Math.floor(this.js(index, field) * n));
  }

  /** JS: one element of a non-empty array. */
  jsPick<T>(index: number, field: string, arr: readonly T[]): T {
    return arr[this.jsInt(index, field, arr.length)] as T;
  }
}

/** A SQL string literal. */
export function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A SQL list literal of strings. */
export function listLit(arr: readonly string[]): string {
  return `[${arr.map(lit).join(', ')}]`;
}

/** SQL: one element of a constant string list, chosen by the uniform SQL expression `u`. */
export function pickList(u: string, arr: readonly string[]): string {
  return `list_extract(${listLit(arr)}, 1 + floor(${u} * ${arr.length})::BIGINT)`;
}

/**
 * SQL CASE choosing among weighted options by the uniform SQL expression `u`. Values are SQL
 * expressions (quote strings with `lit`). Weights need not sum to 1.
 */
export function pick(u: string, options: ReadonlyArray<readonly [string, number]>): string {
  const total = options.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  const whens: string[] = [];
  options.forEach(([v, w], k) => {
    acc += w;
    if (k < options.length - 1) whens.push(`WHEN ${u} < ${(acc / total).toFixed(6)} THEN ${v}`);
  });
  const last = options[options.length - 1];
  if (!last) throw new Error('pick: no options');
  return whens.length ? `(CASE ${whens.join(' ')} ELSE ${last[0]} END)` : last[0];
}
