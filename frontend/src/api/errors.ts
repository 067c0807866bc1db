/** Every API error, whatever the route: `{"error": {"code", "message", "details"}}` plus the HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Seconds from a `Retry-After` header (429), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: unknown;
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? null;
    this.retryAfter = init.retryAfter ?? null;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function parseRetryAfter(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number.parseInt(header, 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** Builds an ApiError from a parsed error body and the response it came with (none: network failure). */
export function toApiError(body: unknown, response: Response | undefined): ApiError {
  if (response === undefined) {
    if (body instanceof ApiError) return body;
    const aborted = body instanceof DOMException && body.name === 'AbortError';
    return new ApiError({
      status: 0,
      code: aborted ? 'aborted' : 'network_error',
      message: aborted ? 'The request was cancelled.' : 'Cannot reach the server. Check your connection.',
      details: body,
    });
  }
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (error !== null && typeof error.message === 'string') {
    return new ApiError({
      status: response.status,
      code: typeof error.code === 'string' ? error.code : 'error',
      message: error.message,
      details: error.details ?? null,
      retryAfter,
    });
  }
  return new ApiError({
    status: response.status,
    code: 'http_error',
    message: `The server answered ${String(response.status)} ${response.statusText}`.trim(),
    details: body,
    retryAfter,
  });
}
