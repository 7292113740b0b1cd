import { AdminApiUnusable, operatorAnswer } from '../../harness/adapters/reference-operator.ts';
import type { Target } from '../../harness/target.ts';
import { CliError, EXIT } from '../errors.ts';

/**
 * A reference target with the whoami answer in its adapter options (the key's account, `freshTenants` when the key
 * is an operator key), asked once here so the Playwright workers need not. An unreachable admin URL or a refused key
 * ends the run (exit 2, or 3 for the embedded server, which is the harness's own); a non-operator key only means no
 * freshTenant(), as the note says.
 */
export async function resolveReferenceTarget(target: Target): Promise<Target> {
  const adapter = target.adapter;
  if (adapter.kind !== 'reference') return target;
  let answer: Awaited<ReturnType<typeof operatorAnswer>>;
  try {
    answer = await operatorAnswer(adapter.adminApiUrl, adapter.adminApiKey, target.timeoutMs);
  } catch (err) {
    if (err instanceof AdminApiUnusable) throw new CliError(err.message, target.embedded ? EXIT.harnessFailed : EXIT.usage);
    throw err;
  }
  // the reference server's SCIM base is /scim/v2/<account id>: a token of one account and a key of another would
  // make every adapter check look at the wrong account
  const scimAccount = /\/scim\/v2\/([^/]+)$/.exec(new URL(target.scimUrl).pathname)?.[1];
  if (answer.accountId && scimAccount && decodeURIComponent(scimAccount) !== answer.accountId) {
    throw new CliError(
      `the admin API key belongs to account ${answer.accountId}, but --target is the SCIM base of account ${decodeURIComponent(scimAccount)}: give the token and admin API key of the same account (serve --demo prints both).`,
    );
  }
  if (!answer.freshTenants) {
    process.stderr.write('certify: the admin API key is not an operator key (serve --demo prints one), so the adapter cannot make fresh tenants\n');
  }
  return { ...target, adapter: { ...adapter, ...answer } };
}
