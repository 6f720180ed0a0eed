/**
 * The one error a pipeline throws when a request cannot be done as asked (a bad month, a file the
 * ingestion refuses, a closed month, a split that does not add up …). Each states its `kind`, which
 * says what sort of refusal it is — the HTTP server maps kinds to statuses in one place
 * (server/errors.ts), the CLI prints the message — and a stable `code` a client can switch on.
 * Anything else thrown is a bug or an outage, not the caller's fault.
 */

/** What sort of refusal: the request itself is malformed, names nothing, collides with the state, or breaks a rule. */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'refused';

/** One reason of several (a policy field, a technician of a split …); `message` is always there. */
export interface ProblemBase {
  message: string;
}

export interface DomainErrorOptions<P extends ProblemBase> {
  /** Every reason, when there are several; answered as `problems`. */
  problems?: P[];
  /** More fields for the answer beside code and message. */
  details?: Record<string, unknown>;
}

export class DomainError<P extends ProblemBase = ProblemBase> extends Error {
  override name = 'DomainError';
  readonly problems: P[] | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    opts: DomainErrorOptions<P> = {},
  ) {
    super(message);
    this.problems = opts.problems;
    this.details = opts.details;
  }
}

/**
 * Whether `err` is DuckDB refusing a write because another connection changed the same rows in the
 * meantime. DuckDB says so only in its message ("TransactionContext Error: Conflict on update!",
 * "… write-write conflict …"), so this is the one place that reads an error's text; callers turn
 * it into a DomainError 'conflict' with their own words.
 */
export function isWriteConflict(err: unknown): boolean {
  return err instanceof Error && !(err instanceof DomainError) && /conflict/i.test(err.message);
}
