import { z } from 'zod';
import { DEFECTS, isDefectName, type DefectName } from './defects/index.ts';
import { formatIssues } from './issues.ts';

/**
 * Options of `buildApp()`: parsed once with zod at the boundary, then deep-frozen, so nothing can
 * change the configuration of a running server.
 */
export const serverOptionsSchema = z
  .object({
    db: z.string().min(1).default(':memory:').describe('SQLite file path, or :memory: for tests'),
    publicUrl: z.url().optional().describe('Base URL clients use to reach the server (for Location and meta.location)'),
    productName: z.string().min(1).max(80).default('Scimulator Reference App').describe('Product name used in emails and the console'),
    smtp: z
      .object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) })
      .optional()
      .describe('SMTP server that notification emails are sent to'),
    ssoIssuer: z.url().optional().describe('OIDC issuer the demo account trusts for end-user sign-in'),
    ssoClientId: z.string().min(1).max(255).optional().describe('OIDC client id of the demo account at ssoIssuer (default scimulator-reference)'),
    ssoClientSecret: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .describe('OIDC client secret of the demo account (default: a fresh one, printed in the ready line)'),
    defects: z
      .array(z.string().refine(isDefectName, { message: `unknown defect; known: ${Object.keys(DEFECTS).join(', ')}` }))
      .default([])
      .transform((names) => names as DefectName[])
      .describe('Deliberate bugs for testing the harness (needs SCIMULATOR_ALLOW_DEFECTS=1 on the CLI)'),
    bodyLimit: z.number().int().positive().default(1_048_576).describe('Largest accepted request body in bytes'),
    maxResults: z.number().int().positive().default(1000).describe('Largest page a list request returns (filter.maxResults)'),
    // Fastify 5 and Node leave a request unbounded in time by default; a client trickling a body then holds a
    // connection forever. Timeouts are in milliseconds (docs/hardening.md).
    requestTimeoutMs: z.number().int().positive().default(30_000).describe('Longest time to receive a whole request (headers and body); then 408'),
    headersTimeoutMs: z.number().int().positive().default(10_000).describe('Longest time to receive the request headers; then 408'),
    connectionTimeoutMs: z.number().int().positive().default(120_000).describe('A socket idle this long is closed'),
    keepAliveTimeoutMs: z.number().int().positive().default(72_000).describe('An idle keep-alive connection is closed after this long'),
    scimRateLimit: z.number().int().positive().optional().describe('SCIM requests per minute per token; beyond: 429 with Retry-After (off unless set)'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict()
  .refine((o) => o.headersTimeoutMs <= o.requestTimeoutMs, { message: 'headersTimeoutMs must not exceed requestTimeoutMs', path: ['headersTimeoutMs'] });

export type ServerOptionsInput = z.input<typeof serverOptionsSchema>;
export type ServerOptions = Readonly<z.output<typeof serverOptionsSchema>>;

export class ConfigError extends Error {
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super(`invalid server options: ${formatIssues({ issues }, '(root)')}`);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function parseServerOptions(input: ServerOptionsInput = {}): ServerOptions {
  const result = serverOptionsSchema.safeParse(input);
  if (!result.success) throw new ConfigError(result.error.issues);
  return deepFreeze(structuredClone(result.data));
}
