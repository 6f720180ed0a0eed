/** Every refusal the API answers: `{error: {code, message}}`, with `problems` when there are several reasons. */

/** One reason: a policy field, a technician of a split, … */
export interface Problem {
  message: string;
  code?: string;
  field?: string;
  technician_id?: string | null;
}

export interface ErrorAnswer {
  error: {
    code: string;
    message: string;
    problems?: Problem[];
    [detail: string]: unknown;
  };
}
