import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { CliError } from '../errors.ts';
import { formatIssues } from '../../simulators/core/issues.ts';

/** `certify --config FILE`: the flags as JSON (camelCase). Secrets are refused: they belong in files or the environment. */
const configSchema = z
  .object({
    $comment: z.unknown().optional(),
    target: z.string().optional(),
    tokenFile: z.string().optional(),
    secondTarget: z.string().optional(),
    secondTokenFile: z.string().optional(),
    auth: z.enum(['bearer', 'basic', 'oauth2-client-credentials']).optional(),
    username: z.string().optional(),
    tokenUrl: z.string().optional(),
    clientId: z.string().optional(),
    clientSecretFile: z.string().optional(),
    scope: z.string().optional(),
    adapter: z.string().optional(),
    adminUrl: z.string().optional(),
    profile: z.union([z.string(), z.array(z.string())]).optional(),
    only: z.union([z.string(), z.array(z.string())]).optional(),
    out: z.string().optional(),
    workers: z.number().int().optional(),
    timeoutMs: z.number().int().optional(),
    ca: z.string().optional(),
    insecure: z.boolean().optional(),
    readOnly: z.boolean().optional(),
    waivers: z.string().optional(),
    seed: z.number().int().optional(),
    signingKey: z.string().optional(),
  })
  .strict();

const PATHS = new Set(['tokenFile', 'secondTokenFile', 'clientSecretFile', 'out', 'ca', 'waivers', 'signingKey']);
const SECRETS = new Set(['token', 'secondToken', 'clientSecret', 'adminApiKey', 'password']);

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Expands `--config FILE` into flags placed before the command line's own, which therefore win. */
export function expandConfig(argv: string[]): string[] {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i < 0) return argv;
  const file = argv[i]!.startsWith('--config=') ? argv[i]!.slice(9) : argv[i + 1];
  if (!file) throw new CliError('--config needs a file name.');
  const rest = [...argv.slice(0, i), ...argv.slice(argv[i]!.startsWith('--config=') ? i + 1 : i + 2)];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code ? `cannot read --config ${file}: ${code}.` : `--config ${file} is not valid JSON.`);
  }
  const secret = Object.keys(json as object).find((k) => SECRETS.has(k));
  if (secret) throw new CliError(`--config ${file} holds '${secret}': secrets never go in config files; use a *File option or the environment.`);
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    throw new CliError(`--config ${file}: ${formatIssues(parsed.error, { root: '(root)' })}.`);
  }
  const base = dirname(resolve(file));
  const out: string[] = [];
  for (const [key, value] of Object.entries(parsed.data)) {
    if (key === '$comment' || value === undefined) continue;
    const flag = `--${kebab(key)}`;
    if (typeof value === 'boolean') {
      if (value) out.push(flag);
    } else if (Array.isArray(value)) {
      out.push(flag, value.join(','));
    } else {
      let text = String(value);
      if ((PATHS.has(key) || (key === 'adapter' && text !== 'reference')) && !isAbsolute(text)) text = resolve(base, text);
      out.push(flag, text);
    }
  }
  return [...out, ...rest];
}
