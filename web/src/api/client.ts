// The one way the web app talks to the server: same-origin cookies, JSON bodies,
// the session's CSRF token on every state-changing request, and problem+json errors
// turned into ApiError so pages can show `detail`.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;

  constructor(status: number, code: string, title: string, detail: string) {
    super(detail || title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
  }
}

export interface RequestOptions {
  /** Never treat a 401 from this request as "the session is gone" (login, start-up session check). */
  quiet401?: boolean;
  /** 401 codes that are an answer for the form, not a lost session (e.g. wrong current password). */
  expectedCodes?: string[];
  signal?: AbortSignal;
}

type UnauthorizedHandler = (error: ApiError) => void;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;
let onUnauthorized: UnauthorizedHandler | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

/** Text for a caught error, for an Alert: the server's `detail` when there is one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail || error.title || error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall back to the status line.
  }
  const problem = isRecord(body) ? body : {};
  const title = text(problem.title) || response.statusText || 'Request failed';
  return new ApiError(response.status, text(problem.code) || `HTTP_${response.status}`, title, text(problem.detail));
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'x-chartroom-client': 'web' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK_ERROR', 'Network error', 'The server could not be reached. Check the connection and try again.');
  }

  if (!response.ok) {
    const error = await toApiError(response);
    const expected = options.expectedCodes?.includes(error.code) ?? false;
    if (error.status === 401 && !options.quiet401 && !expected) onUnauthorized?.(error);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body: unknown = {}, options?: RequestOptions) => request<T>('POST', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

/** Builds `?a=b&…` from the non-empty values only. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
