import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFlags } from '../flags.ts';
import { z } from 'zod';
import { availableProfiles, CATALOG, findRequirement, PROFILES, type Profile } from '../../catalog/index.ts';
import type { TargetInput } from '../../harness/target.ts';
import { CliError } from '../errors.ts';
import { expandConfig } from './config-file.ts';
import { readWaivers, type Waiver } from './waivers.ts';

export const CERTIFY_HELP = `Usage: scimulator certify [options]

Certifies a SCIM 2.0 target against the requirement catalog and writes reports.
Without --target it starts the embedded reference server and certifies that.

Target
  --target URL              SCIM base URL (e.g. https://app.example.com/scim/v2)
  --token T | --token-file F
                            bearer token (or env SCIMULATOR_TOKEN); the password with --auth basic
  --auth bearer|basic|oauth2-client-credentials   (default bearer)
  --username U              user name for --auth basic
  --token-url URL --client-id ID --client-secret S | --client-secret-file F [--scope S]
                            OAuth2 client credentials (secret also from env SCIMULATOR_CLIENT_SECRET)
  --ca FILE                 trust this CA (PEM) for the target's TLS certificate
  --insecure                do not verify TLS certificates (test targets only)
  --timeout-ms N            per-request timeout (default 15000)
  --adapter reference|PATH  target adapter: the reference server's admin API, or a vendor module
  --admin-url URL --admin-api-key K
                            admin API of a running reference server (key also env SCIMULATOR_ADMIN_API_KEY);
                            with the operator key serve --demo prints, the adapter makes (and removes) the
                            fresh tenants the tenant, revocation and lifecycle checks need
  --mailbox HOST:PORT       where the harness's SMTP capture listens for the lifecycle emails (each fresh
                            tenant relays its mail there); default: a free port on 127.0.0.1
  --second-target URL --second-token T | --second-token-file F
                            SCIM base URL and bearer token of a second tenant of the same service (token also env
                            SCIMULATOR_SECOND_TOKEN): the tenant isolation checks (SEC-TENANT-*) run against it
                            without an adapter that makes fresh tenants; what they create there is removed
Selection
  --profile LIST            comma list of ${PROFILES.join(', ')} (default: every profile with requirements)
  --only ID,...             only these requirement ids
  --read-only               the smoke subset that changes nothing on the target
  --waivers FILE            known failures: reported as waived, never passed, never failing the exit code
  --seed N                  seed of the generated test data (default 1)
Run and reports
  --config FILE             options as JSON (see 'scimulator init'); flags given here override it
  --out DIR                 report directory (default reports)
  --workers N               parallel workers (default 2)
  --shard i/n               run one shard; join shards with 'scimulator merge-reports'
  --signing-key FILE        Ed25519 PEM key for certificate.json (default .scimulator/certify-signing-key.pem)

Exit codes: 0 no MUST requirement failed; 1 at least one did; 2 usage, configuration or connection error;
3 the harness failed or was interrupted.
`;

export interface CertifyOptions {
  target?: Omit<TargetInput, 'runId' | 'embedded' | 'readOnly' | 'seed' | 'timeoutMs'>;
  timeoutMs: number;
  profiles: Profile[];
  only: string[];
  readOnly: boolean;
  waivers: Waiver[];
  seed: number;
  out: string;
  workers: number;
  shard?: { current: number; total: number };
  signingKey?: string;
  /** A second tenant for the cross-tenant checks, when the vendor gives one. */
  secondTarget?: { scimUrl: string; token: string };
  /** Where the lifecycle mailbox listens (fresh tenants of a running reference server relay their mail there). */
  mailbox?: { mailboxHost: string; mailboxPort: number };
}

const intFlag = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `--${name} must be a number` })
    .int(`--${name} must be a whole number`)
    .min(min, `--${name} must be at least ${min}`)
    .max(max, `--${name} must be at most ${max}`);

function readSecretFile(flag: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new CliError(`cannot read ${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  if (!text) throw new CliError(`${flag} ${file} is empty.`);
  return text;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function checkUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${flag} '${value}' is not a URL; give the full SCIM base URL, e.g. https://app.example.com/scim/v2.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`${flag} must be an http:// or https:// URL, not ${url.protocol}.`);
  return value.replace(/\/+$/, '');
}

export function parseCertifyArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CertifyOptions | 'help' {
  const args = expandConfig(argv);
  const values: Record<string, string | boolean | undefined> = parseFlags(
    args,
    {
      target: { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      auth: { type: 'string' },
      username: { type: 'string' },
      'token-url': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'client-secret-file': { type: 'string' },
      scope: { type: 'string' },
      adapter: { type: 'string' },
      'admin-url': { type: 'string' },
      'admin-api-key': { type: 'string' },
      mailbox: { type: 'string' },
      'second-target': { type: 'string' },
      'second-token': { type: 'string' },
      'second-token-file': { type: 'string' },
      profile: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      shard: { type: 'string' },
      workers: { type: 'string' },
      'timeout-ms': { type: 'string' },
      ca: { type: 'string' },
      insecure: { type: 'boolean' },
      'read-only': { type: 'boolean' },
      waivers: { type: 'string' },
      seed: { type: 'string' },
      'signing-key': { type: 'string' },
    },
    'certify',
    false,
  ).values;
  if (values.help) return 'help';
  const str = (k: string) => values[k] as string | undefined;
  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const r = schema.safeParse(value);
    if (!r.success) throw new CliError(`${r.error.issues[0]!.message}.`);
    return r.data;
  };

  const timeoutMs = str('timeout-ms') === undefined ? 15_000 : parse(intFlag('timeout-ms', 100, 600_000), str('timeout-ms'));
  const workers = str('workers') === undefined ? 2 : parse(intFlag('workers', 1, 64), str('workers'));
  const seed = str('seed') === undefined ? 1 : parse(intFlag('seed', 0, 2 ** 31 - 1), str('seed'));

  let shard: CertifyOptions['shard'];
  if (str('shard') !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(str('shard')!);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
      throw new CliError(`--shard must look like i/n with 1 <= i <= n, e.g. --shard 1/3; got '${str('shard')}'.`);
    shard = { current: Number(m[1]), total: Number(m[2]) };
  }

  const only = list(str('only'));
  const unknownIds = only.filter((id) => !findRequirement(id));
  if (unknownIds.length > 0) throw new CliError(`--only names unknown requirement ids: ${unknownIds.join(', ')}. The catalog lives in catalog/.`);

  const available = availableProfiles();
  let profiles: Profile[];
  if (str('profile') !== undefined) {
    const asked = list(str('profile'));
    const bad = asked.filter((p) => !(PROFILES as readonly string[]).includes(p));
    if (bad.length > 0 || asked.length === 0)
      throw new CliError(`--profile takes a comma list of ${PROFILES.join(', ')}; unknown: ${bad.join(', ') || '(empty)'}.`);
    const missing = asked.filter((p) => !available.includes(p as Profile));
    if (missing.length > 0) throw new CliError(`profile ${missing.join(', ')} has no requirements in this version yet; available: ${available.join(', ')}.`);
    profiles = asked as Profile[];
    const outside = only.filter((id) => !profiles.includes(findRequirement(id)!.profile));
    if (outside.length > 0) throw new CliError(`--only names ids outside the selected profiles: ${outside.join(', ')}.`);
  } else {
    profiles = only.length > 0 ? [...new Set(only.map((id) => findRequirement(id)!.profile))] : available;
  }

  const waivers = str('waivers') ? readWaivers(str('waivers')!, new Set(CATALOG.map((r) => r.id))) : [];
  if (str('ca') && !existsSync(str('ca')!)) throw new CliError(`--ca ${str('ca')} does not exist.`);
  if (str('signing-key') && str('signing-key')!.trim() === '') throw new CliError('--signing-key needs a file name.');

  const options: CertifyOptions = {
    timeoutMs,
    profiles,
    only,
    readOnly: values['read-only'] === true,
    waivers,
    seed,
    out: resolve(str('out') ?? 'reports'),
    workers,
    ...(shard ? { shard } : {}),
    ...(str('signing-key') ? { signingKey: resolve(str('signing-key')!) } : {}),
  };

  if (str('target') === undefined) {
    const targetOnly = [
      'token',
      'token-file',
      'second-target',
      'second-token',
      'second-token-file',
      'auth',
      'username',
      'token-url',
      'client-id',
      'client-secret',
      'client-secret-file',
      'ca',
      'admin-url',
      'admin-api-key',
      'mailbox',
      'adapter',
      'insecure',
    ].filter((k) => values[k] !== undefined);
    if (targetOnly.length > 0)
      throw new CliError(`--${targetOnly[0]} needs --target; without --target certify starts and certifies the embedded reference server.`);
    return options;
  }

  const scimUrl = checkUrl('--target', str('target')!);
  const authType = str('auth') ?? 'bearer';
  const tokenSources = [str('token'), str('token-file'), env.SCIMULATOR_TOKEN].filter((v) => v !== undefined);
  const token = () => {
    if (str('token') !== undefined && str('token-file') !== undefined) throw new CliError('give the token once: --token or --token-file, not both.');
    const t = str('token') ?? (str('token-file') ? readSecretFile('--token-file', str('token-file')!) : env.SCIMULATOR_TOKEN);
    if (!t) {
      throw new CliError(
        authType === 'basic'
          ? '--auth basic needs the password: --token, --token-file or env SCIMULATOR_TOKEN.'
          : '--target needs credentials: --token T, --token-file F or env SCIMULATOR_TOKEN (or --auth oauth2-client-credentials with a client id and secret).',
      );
    }
    return t;
  };
  let auth: TargetInput['auth'];
  if (authType === 'bearer') auth = { type: 'bearer', token: token() };
  else if (authType === 'basic') {
    if (!str('username')) throw new CliError('--auth basic needs --username.');
    auth = { type: 'basic', username: str('username')!, password: token() };
  } else if (authType === 'oauth2-client-credentials') {
    if (tokenSources.length > 0 && (str('token') || str('token-file')))
      throw new CliError('--auth oauth2-client-credentials gets its token from --token-url; drop --token/--token-file.');
    const tokenUrl = str('token-url');
    const clientId = str('client-id');
    if (!tokenUrl || !clientId) throw new CliError('--auth oauth2-client-credentials needs --token-url and --client-id.');
    const clientSecret =
      str('client-secret') ?? (str('client-secret-file') ? readSecretFile('--client-secret-file', str('client-secret-file')!) : env.SCIMULATOR_CLIENT_SECRET);
    if (!clientSecret)
      throw new CliError('--auth oauth2-client-credentials needs the secret: --client-secret, --client-secret-file or env SCIMULATOR_CLIENT_SECRET.');
    auth = {
      type: 'oauth2-client-credentials',
      tokenUrl: checkUrl('--token-url', tokenUrl),
      clientId,
      clientSecret,
      ...(str('scope') ? { scope: str('scope')! } : {}),
    };
  } else {
    throw new CliError(`--auth must be bearer, basic or oauth2-client-credentials, not '${authType}'.`);
  }

  let adapter: TargetInput['adapter'] = { kind: 'none' };
  const adapterFlag = str('adapter');
  if (adapterFlag === 'reference') {
    const adminUrl = str('admin-url');
    const adminApiKey = str('admin-api-key') ?? env.SCIMULATOR_ADMIN_API_KEY;
    if (!adminUrl || !adminApiKey) throw new CliError('--adapter reference needs --admin-url and --admin-api-key (or env SCIMULATOR_ADMIN_API_KEY).');
    const base = checkUrl('--admin-url', adminUrl);
    adapter = { kind: 'reference', adminApiUrl: /\/api\/v1$/.test(base) ? base : `${base}/api/v1`, adminApiKey, admins: [] };
  } else if (str('admin-url') || str('admin-api-key') || str('mailbox')) {
    // a vendor module declares its own admin access and mailbox: these flags would be silently ignored there
    throw new CliError('--admin-url, --admin-api-key and --mailbox belong to --adapter reference.');
  } else if (adapterFlag !== undefined) {
    if (!existsSync(adapterFlag)) throw new CliError(`--adapter ${adapterFlag} is neither 'reference' nor an existing module file.`);
    adapter = { kind: 'module', path: resolve(adapterFlag) };
  }
  let mailbox: CertifyOptions['mailbox'];
  if (str('mailbox') !== undefined) {
    const m = /^([^:\s]+):(\d{1,5})$/.exec(str('mailbox')!);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new CliError(`--mailbox must look like HOST:PORT, e.g. 127.0.0.1:2525; got '${str('mailbox')}'.`);
    mailbox = { mailboxHost: m[1]!, mailboxPort: Number(m[2]) };
  }

  const secondTarget = parseSecondTarget(str, env, scimUrl, auth);

  return {
    ...options,
    ...(mailbox ? { mailbox } : {}),
    ...(secondTarget ? { secondTarget } : {}),
    target: { scimUrl, auth, adapter, insecure: values.insecure === true, ...(str('ca') ? { ca: resolve(str('ca')!) } : {}) },
  };
}

/** `--second-target URL` with its bearer token (flag, file or env SCIMULATOR_SECOND_TOKEN); undefined when not given. */
function parseSecondTarget(
  str: (k: string) => string | undefined,
  env: NodeJS.ProcessEnv,
  scimUrl: string,
  auth: TargetInput['auth'],
): CertifyOptions['secondTarget'] {
  const url = str('second-target');
  const given = str('second-token') ?? str('second-token-file');
  if (url === undefined) {
    if (given !== undefined) throw new CliError("--second-token and --second-token-file go with --second-target URL (the second tenant's SCIM base URL).");
    return undefined;
  }
  if (str('second-token') !== undefined && str('second-token-file') !== undefined)
    throw new CliError('give the second token once: --second-token or --second-token-file, not both.');
  const token =
    str('second-token') ?? (str('second-token-file') ? readSecretFile('--second-token-file', str('second-token-file')!) : env.SCIMULATOR_SECOND_TOKEN);
  if (!token)
    throw new CliError("--second-target needs the second tenant's bearer token: --second-token T, --second-token-file F or env SCIMULATOR_SECOND_TOKEN.");
  const second = { scimUrl: checkUrl('--second-target', url), token };
  if (new URL(second.scimUrl).href === new URL(scimUrl).href && auth.type === 'bearer' && auth.token === token) {
    throw new CliError('--second-target and --second-token name the same tenant as --target and its token; the isolation checks need a second tenant.');
  }
  return second;
}
