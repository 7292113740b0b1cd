import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { z } from 'zod';
import { buildApp } from '../../reference-server/src/app.ts';
import { ConfigError } from '../../reference-server/src/config.ts';
import { DEFECTS } from '../../reference-server/src/defects/index.ts';
import { smtpAddressInput } from '../../reference-server/src/product/mail/relays.ts';
import { seedDemoAccount } from '../../reference-server/src/scim/demo.ts';
import { CliError, EXIT } from '../errors.ts';
import { parseFlags } from '../flags.ts';

const HELP = `Usage: scimulator serve [options]

Runs the reference SCIM server and prints one ready line (JSON) on stdout once it listens.

Options:
  --host HOST           interface to listen on (default 127.0.0.1)
  --port PORT           port, 0 picks a free one (default 8080)
  --db PATH             SQLite database file, or :memory: (default .scimulator/data.db)
  --public-url URL      base URL clients use, for Location headers and $ref (default: from the Host header)
  --demo                create or reuse the demo account, issue a fresh SCIM token, print it in the ready line
                        with fresh admin passwords and an operator admin API key (it may create and delete other
                        accounts: demo mode is a sandbox for testing; certify makes its fresh tenants with it)
  --smtp HOST:PORT      SMTP server the notification emails go to (an account made with a mailRelay uses its relay)
  --sso-issuer URL      OIDC issuer the demo account trusts for sign-in
  --sso-client-id ID    the demo account's OIDC client id at that issuer (default scimulator-reference); the
                        client secret comes from env SCIMULATOR_SSO_CLIENT_SECRET, else a fresh one is printed
  --product-name NAME   product name used in emails and the console
  --scim-rate-limit N   at most N SCIM requests a minute per token (429 with Retry-After beyond); default: off
  --defect NAME         switch on a deliberate bug (repeatable; needs SCIMULATOR_ALLOW_DEFECTS=1)
  --list-defects        print the defect names and exit
  --help                show this help

Logs go to stderr (level from SCIMULATOR_LOG_LEVEL, default info).

Limits (docs/hardening.md): a request must arrive whole within 30 s (headers within 10 s), else 408 and the
connection is closed; idle sockets close after 120 s, idle keep-alive connections after 72 s. Bodies up to 1 MiB,
nested at most 64 levels; userName, displayName and name parts up to 256 characters, other strings up to 2048;
console and admin-API sign-in: 30 attempts a minute per address and email.
`;

const serveArgs = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z
    .string()
    .regex(/^\d{1,5}$/, 'expected a port number')
    .default('8080')
    .transform(Number)
    .pipe(z.number().max(65535)),
  db: z.string().min(1).default('.scimulator/data.db'),
  'public-url': z.url().optional(),
  demo: z.boolean().default(false),
  // the operator API's parser of an account's mailRelay, so --smtp takes the same HOST:PORT (an IPv6 host in brackets)
  smtp: smtpAddressInput.optional(),
  'sso-issuer': z.url().optional(),
  'sso-client-id': z.string().min(1).max(255).optional(),
  'product-name': z.string().min(1).max(80).optional(),
  'scim-rate-limit': z
    .string()
    .regex(/^[1-9]\d{0,6}$/, 'expected a positive number of requests per minute')
    .transform(Number)
    .optional(),
  defect: z.array(z.string()).default([]),
  'list-defects': z.boolean().default(false),
  help: z.boolean().default(false),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ServeArgs = z.output<typeof serveArgs>;

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeArgs {
  const values: Record<string, unknown> = parseFlags(
    argv,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      db: { type: 'string' },
      'public-url': { type: 'string' },
      demo: { type: 'boolean' },
      smtp: { type: 'string' },
      'sso-issuer': { type: 'string' },
      'sso-client-id': { type: 'string' },
      'product-name': { type: 'string' },
      'scim-rate-limit': { type: 'string' },
      defect: { type: 'string', multiple: true },
      'list-defects': { type: 'boolean' },
    },
    'serve',
    false,
  ).values;
  const parsed = serveArgs.safeParse({ ...values, 'log-level': env.SCIMULATOR_LOG_LEVEL || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path[0] === 'log-level' ? 'SCIMULATOR_LOG_LEVEL' : `--${issue.path.join('.')}`;
    throw new CliError(`${where}: ${issue.message}. Run 'scimulator serve --help' for the options.`);
  }
  const args = parsed.data;
  if (args.defect.length > 0 && env.SCIMULATOR_ALLOW_DEFECTS !== '1') {
    throw new CliError('--defect switches on deliberate bugs and is refused unless the environment has SCIMULATOR_ALLOW_DEFECTS=1.');
  }
  const unknown = args.defect.filter((d) => !Object.hasOwn(DEFECTS, d));
  if (unknown.length > 0) throw new CliError(`unknown defect ${unknown.join(', ')}; 'scimulator serve --list-defects' lists them.`);
  return args;
}

function listeningUrl(address: AddressInfo | string | null): string {
  if (!address || typeof address === 'string') throw new Error('the server is not listening on a TCP port');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (args['list-defects']) {
    for (const [name, description] of Object.entries(DEFECTS)) process.stdout.write(`${name.padEnd(36)}${description}\n`);
    return EXIT.ok;
  }
  if (args.db !== ':memory:') mkdirSync(dirname(args.db), { recursive: true });

  let app: ReturnType<typeof buildApp>;
  try {
    app = buildApp({
      db: args.db,
      publicUrl: args['public-url'],
      smtp: args.smtp,
      ssoIssuer: args['sso-issuer'],
      ssoClientId: args['sso-client-id'],
      ssoClientSecret: process.env.SCIMULATOR_SSO_CLIENT_SECRET || undefined,
      productName: args['product-name'],
      scimRateLimit: args['scim-rate-limit'],
      defects: args.defect,
      logLevel: args['log-level'],
    });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    // Opening the database is the only other thing that can fail here (unwritable path, not a SQLite file).
    throw new CliError(`cannot open the database ${args.db}: ${(err as Error).message}`);
  }

  try {
    await app.listen({ host: args.host, port: args.port });
  } catch (err) {
    await app.close();
    throw new CliError(`cannot listen on ${args.host}:${args.port}: ${(err as Error).message}`);
  }
  const url = listeningUrl(app.server.address());
  const publicUrl = (args['public-url'] ?? url).replace(/\/+$/, '');

  // The ready line is the one place a secret is ever printed (docs/contracts.md).
  const ready: Record<string, unknown> = { event: 'ready', url };
  if (args.demo) {
    const demo = seedDemoAccount(app.store);
    Object.assign(ready, { scimUrl: `${publicUrl}/scim/v2/${demo.accountId}`, token: demo.token });
    for (const extend of app.demoExtensions) Object.assign(ready, await extend({ accountId: demo.accountId, url: publicUrl }));
    ready.accountId = demo.accountId;
  }
  process.stdout.write(`${JSON.stringify(ready)}\n`);

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      app.log.info({ signal }, 'shutting down');
      app.close().then(
        () => resolve(EXIT.ok),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed');
          resolve(EXIT.harnessFailed);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
