/**
 * The one place the dashboard talks to the server. Every page fetches through these functions:
 * they add the CSRF header to mutations, turn `{error: {code, message}}` answers into ApiError,
 * and send the user back to sign-in when the session has ended.
 */
import type {
  FindingsList, FormRisk, KpiPoint, Problem, Queue, TargetedQueue, TechnicianRiskList, VerificationInput, VerificationResult,
} from '$contract';
import { goto } from '$app/navigation';
import { session } from './session.svelte';
import { loginHref } from './nav';

export type Query = Record<string, string | number | boolean | null | undefined>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Every reason, for refusals that list them (allocation splits, policy checks). */
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

export function url(path: string, query: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

async function fail(res: Response): Promise<never> {
  let code = 'http_' + res.status;
  let message = res.statusText;
  let problems: ApiError['problems'] = [];
  try {
    const body = await res.json();
    if (body?.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      problems = body.error.problems ?? body.problems ?? [];
    }
  } catch {
    /* not JSON: keep the status text */
  }
  if (res.status === 401 && session.user) {
    session.user = null;
    document.cookie = 'aftersales_signed_in=; Max-Age=0; Path=/; SameSite=Strict';
    // Signed in again, the user comes back to this page.
    void goto(loginHref(location.pathname + location.search));
  }
  throw new ApiError(res.status, code, message, problems);
}

export async function get<T>(path: string, query: Query = {}, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url(path, query), { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (!res.ok) await fail(res);
  return (await res.json()) as T;
}

/** POST/PUT/PATCH/DELETE with a JSON body and the session's CSRF token. */
export async function send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (session.user) headers['X-CSRF-Token'] = session.user.csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (!res.ok) await fail(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/**
 * Upload a file as multipart with progress (fetch has no upload progress, XMLHttpRequest does).
 * Resolves with the batch summary.
 */
export function upload<T>(kind: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url('/api/uploads', { kind }));
    if (session.user) xhr.setRequestHeader('X-CSRF-Token', session.user.csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    // Small files may never report progress: the body is sent once upload.onload fires.
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network'));
    xhr.onload = () => {
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* keep null */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(xhr.status, body?.error?.code ?? 'http_' + xhr.status, body?.error?.message ?? xhr.statusText, body?.error?.problems ?? []));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Download a server file (export, rejects) through a plain link so the browser saves it. */
export function download(path: string, query: Query = {}): void {
  const a = document.createElement('a');
  a.href = url(path, query);
  a.rel = 'noopener';
  // A download, not a page: keeps SvelteKit's router from treating /api/… as a client route.
  a.setAttribute('download', '');
  a.setAttribute('data-sveltekit-reload', '');
  document.body.appendChild(a);
  a.click();
  a.remove();
}

// ---------------------------------------------------------------------------------------------
// Fetchers of the supervision page's spot checks and fraud risk (the shapes are the contract's).

/** The random sample of a month (GET /api/spotchecks). */
export const fetchRandomQueue = (month: string, team?: string | null) => get<Queue>('/api/spotchecks', { month, team });
/** The targeted queue of a month, ranked by risk (GET /api/fraud/targeted). */
export const fetchTargetedQueue = (month: string, team?: string | null) => get<TargetedQueue>('/api/fraud/targeted', { month, team });
/** One form's signals with their reasons and evidence (GET /api/fraud/forms/:form_id). */
export const fetchFormRisk = (formId: string) => get<FormRisk>(`/api/fraud/forms/${encodeURIComponent(formId)}`);
/** The month's technicians ranked by risk, with their monthly history (GET /api/fraud/technicians). */
export const fetchTechnicianRisk = (month: string, team?: string | null) => get<TechnicianRiskList>('/api/fraud/technicians', { month, team });
/** The month's spot-check findings per technician, by queue (GET /api/fraud/findings, supervision's view). */
export const fetchFindings = (month: string, team?: string | null) => get<FindingsList>('/api/fraud/findings', { month, team });
/** The KPI point of a month, of the company or a team (GET /api/kpi). */
export const fetchKpi = (month: string, team?: string | null) => get<KpiPoint>('/api/kpi', { month, team });
/** Records a spot-check outcome with the queue the form was called from (POST /api/verifications). */
export const recordVerification = (input: VerificationInput) => send<VerificationResult>('POST', '/api/verifications', input);
