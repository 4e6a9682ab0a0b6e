// The one way the client talks to the API: JSON over fetch with the session's bearer token, and
// RFC 9457 problems turned into ApiError (code + detail) so screens can say what went wrong.
import type { ErrorCode } from '../../../shared/errors.js';
import { session } from '../auth';

/** Where the API lives; empty means this origin (the local host serves both). Set at build time. */
export const API_ORIGIN = (import.meta.env.VITE_API_ORIGIN ?? '').replace(/\/+$/, '');

export const apiUrl = (path: string) => `${API_ORIGIN}${path}`;

/**
 * The API's problem codes (shared/errors.ts), plus the client's own: NETWORK when the server could
 * not be reached, HTTP_<status> for an answer that was not a problem document.
 */
export type ProblemCode = ErrorCode | 'NETWORK' | `HTTP_${number}`;

export interface Problem {
  status: number;
  code: ProblemCode;
  title?: string;
  detail?: string;
  retryable?: boolean;
  [member: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status() {
    return this.problem.status;
  }
  get code() {
    return this.problem.code;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the token even on public reads (default: only when signed in and `auth` is not false). */
  auth?: boolean;
  /** 'no-cache' revalidates a cacheable read (an operator's view right after a write). */
  cache?: RequestCache;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = session.get()?.token;
  if (token && options.auth !== false) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      ...(options.cache ? { cache: options.cache } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError({
      status: 0,
      code: 'NETWORK',
      detail: 'The server could not be reached. Check your connection and try again.',
      retryable: true,
    });
  }
  const type = res.headers.get('content-type') ?? '';
  const text = res.status === 204 || res.status === 304 ? '' : await res.text();
  const parsed: unknown = text && /json/.test(type) ? JSON.parse(text) : undefined;
  if (!res.ok && res.status !== 304) {
    const p = (parsed ?? {}) as Partial<Problem>;
    if (res.status === 401) session.expired();
    throw new ApiError({
      ...p,
      status: res.status,
      code: p.code ?? `HTTP_${res.status}`,
      detail: p.detail ?? (text.slice(0, 200) || res.statusText),
    });
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>(path, { signal })).body;
}

export const post = <T>(path: string, body: unknown, headers?: Record<string, string>) =>
  request<T>(path, { method: 'POST', body, headers });

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
