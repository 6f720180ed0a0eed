/** The month helpers both the server and the dashboard use ('YYYY-MM'). */
import { describe, expect, it } from 'vitest';
import { addMonths, isMonth, MONTH_RE, monthDate } from '../../pipelines/contract/months.ts';

describe('addMonths', () => {
  it('steps forward and back across year ends', () => {
    expect(addMonths('2025-05', 1)).toBe('2025-06');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2025-05', -12)).toBe('2024-05');
    expect(addMonths('2025-03', -15)).toBe('2023-12');
    expect(addMonths('2024-11', 14)).toBe('2026-01');
    expect(addMonths('2025-05', 0)).toBe('2025-05');
  });

  it('pads single-digit months and keeps four-digit years', () => {
    expect(addMonths('2025-10', -1)).toBe('2025-09');
    expect(addMonths('1999-12', 1)).toBe('2000-01');
  });

  it('a run of months from addMonths is consecutive', () => {
    const run = Array.from({ length: 25 }, (_, i) => addMonths('2023-12', i));
    for (let i = 1; i < run.length; i++) expect(addMonths(run[i - 1]!, 1)).toBe(run[i]);
    expect(run.at(-1)).toBe('2025-12');
  });
});

describe('isMonth and monthDate', () => {
  it('accepts YYYY-MM with a real month only', () => {
    for (const m of ['2025-01', '2025-12', '1999-09']) expect(isMonth(m), m).toBe(true);
    for (const m of ['2025-13', '2025-00', '2025-1', '25-01', '2025-05-01', ' 2025-05', '2025/05', '']) expect(isMonth(m), m).toBe(false);
    for (const v of [undefined, null, 202505, {}]) expect(isMonth(v)).toBe(false);
    expect(MONTH_RE.test('2025-05')).toBe(true);
  });

  it("gives the warehouse's month key and refuses anything else", () => {
    expect(monthDate('2025-05')).toBe('2025-05-01');
    expect(() => monthDate('2025-13')).toThrow('month must be YYYY-MM, got "2025-13"');
  });
});
