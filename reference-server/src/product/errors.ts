/**
 * Errors of the product (console and admin API). The code is the API's `error` field; the status comes from
 * the code, so throw sites only say what went wrong.
 */
export const PRODUCT_ERRORS = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_invalid: 403,
  not_found: 404,
  sso_inactive: 409,
  sso_not_configured: 409,
  no_active_token: 409,
  conflict: 409,
  own_account: 409,
  rate_limited: 429,
} as const;

export type ProductErrorCode = keyof typeof PRODUCT_ERRORS;

export class ProductError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProductErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProductError';
    this.status = PRODUCT_ERRORS[code];
  }

  toBody(): { error: string; message: string } {
    return { error: this.code, message: this.message };
  }
}
