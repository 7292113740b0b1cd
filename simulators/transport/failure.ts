import type { Failure, FailureKind } from '../core/types.ts';

/** Classifies an HTTP status the same way for every IdP; each IdP then words the failure its own way. */
export function kindForStatus(status: number): FailureKind {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'precondition_failed';
  if (status === 400) return 'bad_request';
  if (status >= 400) return 'client_error';
  return 'unexpected_response';
}

/** Reads `scimType` and `detail` from a SCIM error body; `status` may be a string or a number (RFC 7644 §3.12). */
export function scimErrorParts(body: unknown): { scimType?: string; detail?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const out: { scimType?: string; detail?: string } = {};
  if (typeof b.scimType === 'string') out.scimType = b.scimType;
  if (typeof b.detail === 'string') out.detail = b.detail;
  return out;
}

export function httpFailure(status: number, body: unknown): Failure {
  const { scimType, detail } = scimErrorParts(body);
  const suffix = [scimType, detail].filter(Boolean).join(': ');
  return {
    kind: kindForStatus(status),
    status,
    ...(scimType ? { scimType } : {}),
    ...(detail ? { detail } : {}),
    message: `HTTP ${status}${suffix ? ` (${suffix})` : ''}`,
  };
}

export function transportFailure(kind: 'timeout' | 'network', message: string): Failure {
  return { kind, message };
}
