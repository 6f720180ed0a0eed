/**
 * A refused assessment action (allocation, close, reopen): the user's request cannot be done as
 * asked. A DomainError (pipelines/errors.ts): `kind` says what sort of refusal, `code` which one;
 * `problems` lists every reason when there are several (an allocation that both names a stranger
 * and does not add up) and holds the one reason otherwise.
 */
import { DomainError, type ErrorKind } from '../errors.ts';

export interface Problem {
  code: string;
  technician_id?: string | null;
  message: string;
}

export class AssessmentError extends DomainError<Problem> {
  override name = 'AssessmentError';
  declare readonly problems: Problem[];
  constructor(kind: ErrorKind, code: string, message: string, problems: Problem[] = [{ code, message }]) {
    super(kind, code, message, { problems });
  }
}

/** 'YYYY-MM' → 'YYYY-MM-01' (the DATE the models key months by); anything else is refused. */
export function monthStart(month: string): string {
  if (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    throw new AssessmentError('invalid', 'bad_month', `month must be YYYY-MM, got "${String(month)}"`);
  }
  return `${month}-01`;
}

/** A required, non-blank text argument (who acts, why). */
export function required(value: unknown, what: string, code = `${what}_required`): string {
  if (typeof value !== 'string' || value.trim() === '') throw new AssessmentError('invalid', code, `${what} is required`);
  return value.trim();
}
