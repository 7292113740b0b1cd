// Provisions one extra tenant in a running reference server's database, for the reference adapter's
// freshTenant(): an account with SSO active, a SCIM token and an admin API key, printed once as JSON.
// Only cli/ may touch reference-server/; the harness runs this as a child process and reads stdout.
import { parseArgs } from 'node:util';
import { AdminDirectory } from '../reference-server/src/product/admins.ts';
import { PRODUCT_MIGRATIONS } from '../reference-server/src/product/migrations.ts';
import { openStore } from '../reference-server/src/store/index.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, url: { type: 'string' } }, strict: true });
if (!values.db || !values.url) {
  process.stderr.write('usage: reference-tenant --db FILE --url BASE_URL\n');
  process.exit(2);
}
const store = openStore(values.db, PRODUCT_MIGRATIONS);
try {
  const tenant = store.tx(() => {
    const account = store.accounts.create({ name: `Harness tenant ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` });
    store.accounts.setSsoState(account.id, 'active');
    const { token } = store.tokens.issueScimToken(account.id);
    const { key } = new AdminDirectory(store.db).createApiKey({ accountId: account.id, name: 'harness', role: 'Master Admin', createdBy: 'scimulator harness' });
    const base = values.url!.replace(/\/+$/, '');
    return { accountId: account.id, scimUrl: `${base}/scim/v2/${account.id}`, token, adminApiUrl: `${base}/api/v1`, adminApiKey: key };
  });
  process.stdout.write(`${JSON.stringify(tenant)}\n`);
} finally {
  store.close();
}
