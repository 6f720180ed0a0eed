/**
 * A refused assessment action (allocation, close, reopen): the user's request cannot be done as
 * asked. `code` tells a caller (CLI, HTTP server) which refusal it is; `problems` lists every
 * reason when there are several (an allocation that both names a stranger and does not add up).
 */
export interface Problem {
  code: string;
  technician_id?: string | null;
  message: string;
}

export class AssessmentError extends Error {
  override name = 'AssessmentError';
  constructor(
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [{ code, message }],
  ) {
    super(message);
  }
}

/** 'YYYY-MM' → 'YYYY-MM-01' (the DATE the models key months by); anything else is refused. */
export function monthStart(month: string): string {
  if (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    throw new AssessmentError('bad_month', `month must be YYYY-MM, got "${String(month)}"`);
  }
  return `${month}-01`;
}

/** A required, non-blank text argument (who acts, why). */
export function required(value: unknown, what: string, code = `${what}_required`): string {
  if (typeof value !== 'string' || value.trim() === '') throw new AssessmentError(code, `${what} is required`);
  return value.trim();
}
