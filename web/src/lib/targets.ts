/**
 * How a KPI compares with its policy target (SPEC §4), the one rule for the overview's cards and
 * charts and the supervision table's colours: a target is a floor, except the complaint rate's,
 * which is a ceiling ("< 3 %").
 */

export function lowerIsBetter(key: string): boolean {
  return key === 'complaint_rate';
}

/** Whether a figure meets its target; null without a figure or a target (no verdict without data). */
export function meetsTarget(key: string, value: unknown, target: unknown): boolean | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || typeof target !== 'number') return null;
  return lowerIsBetter(key) ? value < target : value >= target;
}
