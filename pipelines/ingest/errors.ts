/** An ingestion failure that is the input's fault; its message names the file and what is wrong. */
export class IngestError extends Error {
  override name = 'IngestError';
}
