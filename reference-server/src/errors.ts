/**
 * The one SCIM error catalogue (RFC 7644 §3.12). Nothing else builds an error body: a code fixes the
 * HTTP status and scimType, so throw sites only add the detail.
 */
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export const SCIM_ERRORS = {
  /** 400 */
  invalidFilter: { status: 400, scimType: 'invalidFilter' },
  tooMany: { status: 400, scimType: 'tooMany' },
  mutability: { status: 400, scimType: 'mutability' },
  invalidSyntax: { status: 400, scimType: 'invalidSyntax' },
  invalidPath: { status: 400, scimType: 'invalidPath' },
  noTarget: { status: 400, scimType: 'noTarget' },
  invalidValue: { status: 400, scimType: 'invalidValue' },
  invalidVers: { status: 400, scimType: 'invalidVers' },
  sensitive: { status: 400, scimType: 'sensitive' },
  badRequest: { status: 400, scimType: undefined },
  /** auth */
  unauthorized: { status: 401, scimType: undefined },
  forbidden: { status: 403, scimType: undefined },
  ssoInactive: { status: 403, scimType: undefined },
  /** resources */
  notFound: { status: 404, scimType: undefined },
  methodNotAllowed: { status: 405, scimType: undefined },
  notAcceptable: { status: 406, scimType: undefined },
  uniqueness: { status: 409, scimType: 'uniqueness' },
  conflict: { status: 409, scimType: undefined },
  requestTimeout: { status: 408, scimType: undefined },
  preconditionFailed: { status: 412, scimType: undefined },
  payloadTooLarge: { status: 413, scimType: undefined },
  unsupportedMediaType: { status: 415, scimType: undefined },
  tooManyRequests: { status: 429, scimType: undefined },
  headersTooLarge: { status: 431, scimType: undefined },
  internal: { status: 500, scimType: undefined },
  notImplemented: { status: 501, scimType: undefined },
} as const satisfies Record<string, { status: number; scimType: string | undefined }>;

export type ScimErrorCode = keyof typeof SCIM_ERRORS;

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: string;
  detail: string;
}

export class ScimError extends Error {
  readonly status: number;
  readonly scimType: string | undefined;

  constructor(
    readonly code: ScimErrorCode,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
    this.status = SCIM_ERRORS[code].status;
    this.scimType = SCIM_ERRORS[code].scimType;
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status), detail: this.message };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }
}

export function scimError(code: ScimErrorCode, detail: string): ScimError {
  return new ScimError(code, detail);
}
