/** The soak's printed summary: requests by kind and status, read latency, uploads, sign-ins, the checks. */
import type { Stats, UploadRecord } from './client.ts';
import type { Check } from './checks.ts';
import type { SignInTally } from './load.ts';

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

export function printSummary(o: { seconds: number; stats: Stats; uploads: UploadRecord[]; tally: SignInTally; checks: Check[] }): void {
  const { stats } = o;
  const out: string[] = ['', '================ soak summary ================'];
  out.push(`load: ${o.seconds.toFixed(0)} s, ${stats.total.toLocaleString('en')} requests (${(stats.total / o.seconds).toFixed(1)}/s)`);
  out.push('requests by kind and status:');
  for (const [kind, m] of [...stats.counts].sort(([a], [b]) => a.localeCompare(b))) {
    const n = [...m.values()].reduce((a, b) => a + b, 0);
    out.push(`  ${kind.padEnd(22)} ${String(n).padStart(6)}  ${[...m].sort().map(([s, c]) => `${s}: ${c}`).join(', ')}`);
  }
  const ms = stats.readMs;
  out.push(`read latency (200s, ${ms.length.toLocaleString('en')}): p50 ${quantile(ms, 0.5)} ms, p95 ${quantile(ms, 0.95)} ms, p99 ${quantile(ms, 0.99)} ms, max ${Math.max(...ms)} ms`);

  out.push(`uploads (${o.uploads.length}) by file type and answer:`);
  const groups = new Map<string, UploadRecord[]>();
  for (const u of o.uploads) {
    const key = `${u.file.label} → ${u.status}${u.code ? ` ${u.code}` : ''} (${u.outcome})`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  for (const [key, us] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const acc = us.filter((u) => u.status === 200);
    const counts = acc.length ? `, accepted ${acc.reduce((a, u) => a + u.accepted!, 0)} rejected ${acc.reduce((a, u) => a + u.rejected!, 0)}` : '';
    out.push(`  ${String(us.length).padStart(4)} × ${key}${counts}`);
  }
  const byOutcome = new Map<string, number>();
  for (const u of o.uploads) byOutcome.set(u.outcome, (byOutcome.get(u.outcome) ?? 0) + 1);
  out.push(`  outcomes: ${[...byOutcome].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out.push('sign-ins by what was tried and the answer:');
  for (const [k, v] of [...o.tally].sort()) out.push(`  ${String(v).padStart(4)} × ${k}`);

  out.push('checks:');
  for (const c of o.checks) {
    out.push(`  ${c.failures.length ? 'FAIL' : 'ok  '} ${c.name}: ${c.info}`);
    for (const f of c.failures.slice(0, 20)) out.push(`         - ${f}`);
    if (c.failures.length > 20) out.push(`         … and ${c.failures.length - 20} more`);
  }
  const failed = o.checks.filter((c) => c.failures.length);
  out.push(failed.length ? `SOAK FAILED: ${failed.map((c) => c.name).join(', ')}` : 'SOAK PASSED: every check holds');
  console.log(out.join('\n'));
}
