/**
 * A spot-check request that is malformed (a bad week, an unknown field, grades that do not fit the
 * outcome): a DomainError 'invalid' with its `code`. An unknown form is a DomainError 'not_found'.
 */
import { DomainError } from '../errors.ts';

export class SpotcheckError extends DomainError {
  override name = 'SpotcheckError';
  constructor(code: string, message: string) {
    super('invalid', code, message);
  }
}
