/**
 * A file the ingestion refuses (its fault: empty, not the format it claims, a header that does not
 * fit the kind …): a DomainError 'refused', code `ingest_failed`; its message names the file and
 * what is wrong. Other refusals of the ingestion (no such batch, a write conflict) are plain
 * DomainErrors with their own kind.
 */
import { DomainError } from '../errors.ts';

export class IngestError extends DomainError {
  override name = 'IngestError';
  constructor(message: string) {
    super('refused', 'ingest_failed', message);
  }
}
