import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { IDP_INFO, createSimulator, type AuthConfig, type IdpName, type ScenarioResult } from '../../simulators/index.ts';
import { EntraOptionsSchema } from '../../simulators/entra/entra.ts';
import { OktaOptionsSchema } from '../../simulators/okta/okta.ts';
import { SailPointOptionsSchema } from '../../simulators/sailpoint/sailpoint.ts';
import { CliError, EXIT } from '../errors.ts';
import { parseFlags } from '../flags.ts';
import { formatIssues } from '../../simulators/core/issues.ts';

/** Flags shared by `simulate` and `load`: the target and how to authenticate to it. */
export const TARGET_OPTIONS = {
  target: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  auth: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'token-url': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'client-auth': { type: 'string' },
  mode: { type: 'string' },
  seed: { type: 'string' },
  option: { type: 'string', multiple: true },
  'timeout-ms': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const TARGET_HELP = `Target and authentication:
  --target URL            SCIM base URL of the target (required)
  --token T               bearer token (or --token-file F, or env SCIMULATOR_TOKEN)
  --auth KIND             bearer (default) | basic | header | oauth2-client-credentials | none
  --username U --password P          for --auth basic
  --token-url URL --client-id ID --client-secret S [--client-auth basic|body]
                          for --auth oauth2-client-credentials (SailPoint)
  --mode M                the IdP's integration mode (see below)
  --seed N                seed of the simulated directory (default: random, printed with --json)
  --option KEY=VALUE      an IdP option, repeatable (see below)
  --timeout-ms N          per-request timeout (default: the IdP's own, 60000)
  --json                  print the machine-readable result on stdout`;

/** Options each IdP accepts with --option, with their defaults (docs/idp-patterns.md [3P]/[INF] switches). */
const IDP_OPTION_KEYS: Record<IdpName, string[]> = {
  okta: Object.keys(OktaOptionsSchema.shape),
  entra: Object.keys(EntraOptionsSchema.shape),
  sailpoint: Object.keys(SailPointOptionsSchema.shape),
};

/** The modes, scenarios and options of every IdP, or of one. */
export function idpHelp(only?: IdpName): string {
  return Object.values(IDP_INFO)
    .filter((i) => only === undefined || i.idp === only)
    .map((i) => {
      const scenarios = i.scenarios.map((s) => `    ${s.name.padEnd(15)} ${s.summary}`).join('\n');
      return `${i.idp} (${i.title}): modes ${i.modes.join(' | ')} (default ${i.defaultMode})\n  scenarios:\n${scenarios}\n  options: ${IDP_OPTION_KEYS[i.idp].join(', ')}`;
    })
    .join('\n\n');
}

/** `simulate --help` covers every IdP; `simulate <idp> --help` that IdP only, with what it reports. */
function help(idp?: IdpName): string {
  return `Usage: scimulator simulate ${idp ?? '<okta|entra|sailpoint>'} <scenario> --target URL --token T [--mode M] [--json]

Replays ${idp ? `${IDP_INFO[idp].title.replace('-style', '')}'s` : "an IdP's"} SCIM requests against a target, step by step in the IdP's own words.
Exit codes: 0 every step went as the IdP expects, 1 a step failed, 2 usage or connection error.

${TARGET_HELP}
  --users N --groups G    size of the simulated directory (defaults per IdP)

${idpHelp(idp)}
${idp ? `\n${IDP_REPORTS[idp]}\n` : ''}`;
}

/** How each IdP words what it did: its own step names and failure messages. */
const IDP_REPORTS: Record<IdpName, string> = {
  okta: `Steps are named as the Okta Admin Console names the actions (Test API Credentials, Assign, Update User Attributes,
Sync Password, Deactivate, Reactivate, Unassign, Suspend, Push Groups, Push now, Unlink pushed group, Import Now). A failed
user task reads as an Okta task: "Automatic provisioning of user <userName> to app <appName> failed: Error while creating
user <displayName>: <what the app answered>" (--option appName=NAME).`,
  entra: `Steps carry the provisioning-log action (Create, Update, Disable, Delete; a re-enable is an Update) and, in --json,
"log.steps": import, scoping, matching (or referenceResolution), processing, export, each success, failure or
skipped, with the cycleId and activityDateTime. Queries are form-encoded as Entra sends them ('+' for a space; --option
queryEncoding=percent for %20). Time is simulated: cycles are 40 minutes apart and a soft-deleted user is hard-deleted
30 days later without real waiting (a Retry-After is still waited for). A failed object is escrowed and retried 6, 12
and 24 hours after its first failure, then daily; failures carry the SystemForCrossDomainIdentityManagement* code.
Quarantine: invalid credentials, a 404 on a query, or from 5,000 failures more than 40% (or 40,000) failed. Provision
on demand sends the shapes without aadOptscim062020 in every mode ("doesn't work with on-demand provisioning").`,
  sailpoint: `Steps are named as SailPoint names its operations (Test Connection, Discover Schema, Account/Entitlement/Delta
Aggregation, Create/Update/Enable/Disable/Delete Account, Add/Remove Entitlement, Change Password). Delta Aggregation
writes its meta.lastModified bound in --option serverTimeZone=ZONE and serverTimestampFormat=PATTERN (a Java pattern).`,
};

const IdpSchema = z.enum(['okta', 'entra', 'sailpoint']);
const intFlag = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `--${name} expects a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `--${name} must be at least ${min}`).max(max, `--${name} must be at most ${max}`));

export interface TargetArgs {
  scimUrl: string;
  auth: AuthConfig;
  mode?: string;
  seed: number;
  options: Record<string, unknown>;
  timeoutMs?: number;
  json: boolean;
}

export function parseIdp(value: string | undefined, command: string): IdpName {
  const r = IdpSchema.safeParse(value);
  if (!r.success)
    throw new CliError(
      `expected an IdP (okta, entra or sailpoint) as the first argument${value ? `, got '${value}'` : ''}. Run 'scimulator ${command} --help'.`,
    );
  return r.data;
}

/** Reads and checks the target flags; every problem is a readable usage error (exit 2). */
export function parseTargetArgs(idp: IdpName, values: Record<string, unknown>, env: NodeJS.ProcessEnv, command: string): TargetArgs {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const target = str('target');
  if (!target) throw new CliError(`--target is required: the SCIM base URL to send requests to. Run 'scimulator ${command} --help'.`);
  const url = z.url({ protocol: /^https?$/ }).safeParse(target);
  if (!url.success) throw new CliError(`--target must be an http(s) URL, got '${target}'.`);
  const mode = str('mode');
  const info = IDP_INFO[idp];
  if (mode !== undefined && !info.modes.includes(mode)) throw new CliError(`unknown ${idp} mode '${mode}' (known: ${info.modes.join(', ')}).`);
  const seedRaw = str('seed');
  const seed = seedRaw === undefined ? Math.floor(Math.random() * 2 ** 31) : check(intFlag('seed', 0, 2 ** 31), seedRaw);
  const timeoutRaw = str('timeout-ms');
  return {
    scimUrl: target,
    auth: parseAuth(values, env),
    ...(mode ? { mode } : {}),
    seed,
    options: parseOptions(idp, (values.option as string[] | undefined) ?? []),
    ...(timeoutRaw !== undefined ? { timeoutMs: check(intFlag('timeout-ms', 1, 600_000), timeoutRaw) } : {}),
    json: values.json === true,
  };
}

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliError(formatIssues(r.error, { paths: false }));
  return r.data;
}

function parseAuth(values: Record<string, unknown>, env: NodeJS.ProcessEnv): AuthConfig {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const kind = str('auth') ?? 'bearer';
  const token = () => {
    const file = str('token-file');
    let t = str('token');
    if (!t && file) {
      try {
        t = readFileSync(file, 'utf8').trim();
      } catch (err) {
        throw new CliError(`cannot read --token-file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
      }
    }
    t ??= env.SCIMULATOR_TOKEN;
    if (!t) throw new CliError('a token is required: pass --token, --token-file or set SCIMULATOR_TOKEN.');
    return t;
  };
  switch (kind) {
    case 'bearer':
      return { type: 'bearer', token: token() };
    case 'header':
      return { type: 'header', value: token() };
    case 'basic': {
      const username = str('username');
      const password = str('password') ?? env.SCIMULATOR_PASSWORD;
      if (!username || !password) throw new CliError('--auth basic needs --username and --password (or env SCIMULATOR_PASSWORD).');
      return { type: 'basic', username, password };
    }
    case 'oauth2-client-credentials': {
      const tokenUrl = str('token-url');
      const clientId = str('client-id');
      const clientSecret = str('client-secret') ?? env.SCIMULATOR_CLIENT_SECRET;
      if (!tokenUrl || !clientId || !clientSecret)
        throw new CliError('--auth oauth2-client-credentials needs --token-url, --client-id and --client-secret (or env SCIMULATOR_CLIENT_SECRET).');
      if (!z.url().safeParse(tokenUrl).success) throw new CliError(`--token-url must be a URL, got '${tokenUrl}'.`);
      const clientAuth = str('client-auth') ?? 'basic';
      if (clientAuth !== 'basic' && clientAuth !== 'body') throw new CliError(`--client-auth must be basic or body, got '${clientAuth}'.`);
      return { type: 'oauth2-client-credentials', tokenUrl, clientId, clientSecret, clientAuth };
    }
    case 'none':
      return { type: 'none' };
    default:
      throw new CliError(`unknown --auth '${kind}' (known: bearer, basic, header, oauth2-client-credentials, none).`);
  }
}

/** `--option key=value`: true/false, numbers, JSON arrays, or plain strings; only the IdP's known keys. */
function parseOptions(idp: IdpName, pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--option expects KEY=VALUE, got '${pair}'.`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (!IDP_OPTION_KEYS[idp].includes(key)) throw new CliError(`unknown ${idp} option '${key}' (known: ${IDP_OPTION_KEYS[idp].join(', ')}).`);
    let value: unknown = raw;
    if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (raw === 'null') value = null;
    else if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
    else if (raw.startsWith('[') || raw.startsWith('{')) {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new CliError(`--option ${key}: '${raw}' is not valid JSON.`);
      }
    }
    out[key] = value;
  }
  const checked = IDP_INFO[idp].options.safeParse(out);
  if (!checked.success) throw new CliError(`invalid ${idp} option: ${formatIssues(checked.error, { root: '(options)' })}.`);
  return out;
}

/** A request that never got an answer because the target was unreachable is a connection error (exit 2). */
export function connectionError(result: ScenarioResult): string | undefined {
  for (const s of result.steps) for (const e of s.exchanges) if (!e.response && e.error?.startsWith('connection failed')) return e.error;
  return undefined;
}

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...TARGET_OPTIONS, users: { type: 'string' }, groups: { type: 'string' } }, 'simulate');
  if (values.help) {
    const named = IdpSchema.safeParse(positionals[0]);
    process.stdout.write(help(named.success ? named.data : undefined));
    return EXIT.ok;
  }
  const idp = parseIdp(positionals[0], 'simulate');
  const scenario = positionals[1];
  const info = IDP_INFO[idp];
  if (!scenario || !info.scenarios.some((s) => s.name === scenario)) {
    throw new CliError(
      `${scenario ? `unknown ${idp} scenario '${scenario}'` : 'a scenario is required'} (known: ${info.scenarios.map((s) => s.name).join(', ')}).`,
    );
  }
  if (positionals.length > 2) throw new CliError(`unexpected argument '${positionals[2]}'.`);
  const args = parseTargetArgs(idp, values, env, 'simulate');
  const size = {
    ...(values.users !== undefined ? { users: check(intFlag('users', 3, 1000), values.users) } : {}),
    ...(values.groups !== undefined ? { groups: check(intFlag('groups', 1, 100), values.groups) } : {}),
  };
  const sim = createSimulator(idp, {
    target: { scimUrl: args.scimUrl, auth: args.auth },
    ...(args.mode ? { mode: args.mode } : {}),
    seed: args.seed,
    options: args.options,
    ...(Object.keys(size).length ? { directory: size } : {}),
    ...(args.timeoutMs ? { transportOptions: { timeoutMs: args.timeoutMs } } : {}),
  });
  let result: ScenarioResult;
  try {
    result = await sim.run(scenario);
  } finally {
    await sim.close();
  }
  const unreachable = connectionError(result);
  if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(render(result));
  if (unreachable) throw new CliError(`could not reach the target ${args.scimUrl}: ${unreachable}.`);
  return result.ok ? EXIT.ok : EXIT.requirementFailed;
}

function render(r: ScenarioResult): string {
  const lines = [`${IDP_INFO[r.idp].title} ${r.scenario} (mode ${r.mode}, seed ${r.seed})`];
  for (const s of r.steps) {
    const requests = s.exchanges.length === 1 ? '1 request' : `${s.exchanges.length} requests`;
    lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'}  ${s.name.padEnd(24)} ${s.message} (${requests})`);
  }
  const failed = r.steps.filter((s) => !s.ok).length;
  lines.push(
    failed ? `${failed} of ${r.steps.length} steps failed` : `all ${r.steps.length} steps went as ${IDP_INFO[r.idp].title.replace('-style', '')} expects`,
  );
  return `${lines.join('\n')}\n`;
}
