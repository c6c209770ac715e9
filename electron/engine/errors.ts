import type { ApiError } from '../contract/contract.ts';

/** An error that carries an ApiError: thrown anywhere in the engine, returned as a value at the boundary. */
export class LonghandError extends Error {
  readonly apiError: ApiError;
  constructor(apiError: ApiError) {
    super(apiError.message);
    this.name = 'LonghandError';
    this.apiError = apiError;
  }
}

export function fail(code: ApiError['code'], message: string, extra: Omit<ApiError, 'code' | 'message'> = {}): never {
  throw new LonghandError({ code, message, ...extra });
}

/** Turns anything thrown into an ApiError a person can act on. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof LonghandError) return err.apiError;
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.path === 'string') {
    const hints: Record<string, string> = {
      ENOENT: 'Check that the path exists.',
      EACCES: 'Check the permissions of the folder, or choose another location.',
      EROFS: 'The location is read-only; choose another one.',
      ENOSPC: 'The disk is full; free some space and try again.',
      ENOTDIR: 'A part of the path is a file, not a folder.',
    };
    return { code: e.code === 'ENOENT' ? 'not_found' : 'io', message: `${e.code}: ${e.message}`, file: e.path, hint: hints[e.code] };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Internal error: ${message}`, hint: 'This is a bug in Longhand; the engine kept running. Please report it with the log.' };
}
