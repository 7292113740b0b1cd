import { z } from 'zod';
import { ProductError } from '../../reference-server/src/product/errors.ts';
import { PRODUCT_MIGRATIONS } from '../../reference-server/src/product/migrations.ts';
import { ProductService } from '../../reference-server/src/product/service.ts';
import { openStore } from '../../reference-server/src/store/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { parseFlags } from '../flags.ts';

const HELP = `Usage: scimulator accounts create --name NAME --admin-email EMAIL [options]

Creates an account (tenant) of the reference app and its first Master Admin, outside demo mode. Prints one JSON
line with the account id, its URLs and the admin's password: the only time the password is shown. The admin then
signs in to the console, configures and activates SSO, and generates the SCIM token.

Options:
  --db PATH            the server's SQLite database (default .scimulator/data.db); a running server sees the account at once
  --name NAME          account name shown in the console and emails
  --admin-email EMAIL  the first Master Admin's email (their console sign-in)
  --admin-name NAME    the admin's display name (default: the email)
  --public-url URL     base URL of the server, for the printed URLs (default http://127.0.0.1:8080)
  --help               show this help
`;

const argsSchema = z.object({
  db: z.string().min(1).default('.scimulator/data.db'),
  name: z.string().trim().min(1, 'is required').max(120),
  'admin-email': z.email('must be an email address'),
  'admin-name': z.string().trim().min(1).max(255).optional(),
  'public-url': z.url().default('http://127.0.0.1:8080'),
});

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    process.stdout.write(HELP);
    return sub ? EXIT.ok : EXIT.usage;
  }
  if (sub !== 'create') throw new CliError(`unknown subcommand '${sub}'; 'scimulator accounts create --help' shows the options.`);
  const values: Record<string, unknown> = parseFlags(
    rest,
    {
      db: { type: 'string' },
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      'public-url': { type: 'string' },
    },
    'accounts create',
    false,
  ).values;
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`--${issue.path.join('.')} ${issue.message}. Run 'scimulator accounts create --help' for the options.`);
  }
  const args = parsed.data;
  const base = args['public-url'].replace(/\/+$/, '');
  const store = openStore(args.db, PRODUCT_MIGRATIONS);
  try {
    const service = new ProductService(store, { productName: 'Scimulator Reference App', baseUrl: () => base });
    const created = await service.createAccount({ name: args.name, adminEmail: args['admin-email'], adminName: args['admin-name'] });
    const out = {
      accountId: created.accountId,
      consoleUrl: `${base}/console/`,
      adminApiUrl: `${base}/api/v1`,
      scimUrl: service.scimUrl(created.accountId),
      signinUrl: service.signinUrl(created.accountId),
      admin: { email: created.admin.email, role: created.admin.role, password: created.password },
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ProductError) throw new CliError(err.message);
    throw err;
  } finally {
    store.close();
  }
}
