/** A refused spot-check request: `unknown_form` (the server answers 404), anything else 400. */
export class SpotcheckError extends Error {
  override name = 'SpotcheckError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
