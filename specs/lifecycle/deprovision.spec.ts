import { expect, given, req, test, verify, type LifecycleTenant } from '../../fixtures/lifecycle.ts';
import { lifecycleDirectory } from '../../harness/lifecycle-services.ts';
import { provided } from './steps.ts';
import type { IdpName, Step } from '../../simulators/index.ts';

/**
 * Seed, "SCIM Deprovisioning through the IdP": each IdP's own deprovisioning action (Okta "Deactivate", Entra
 * "Disable (soft delete)", SailPoint "Disable Account") shows the user as Disabled in the Users tab, and the user can
 * no longer sign in through SSO. Sign-in goes through the harness's simulated SSO IdP in Chromium; that IdP does not
 * refuse the person itself, so a refusal is the app's own.
 */

/**
 * The IdP's own requests are the set-up here: whether the server accepts them is what the IdP profiles check (the
 * owners named); these checks judge what the app then shows and allows.
 */
const ACTIONS: Record<IdpName, { provision: string; deprovision: string; id: string; owner: string; deprovisionOwner: string }> = {
  okta: {
    provision: 'Assign',
    deprovision: 'Deactivate',
    id: 'LC-DEPROV-DISABLED-OKTA',
    owner: 'OKTA-ASSIGN-CREATE',
    deprovisionOwner: 'OKTA-DEACTIVATE-NOPATH',
  },
  entra: {
    provision: 'Provision',
    deprovision: 'Disable (soft delete)',
    id: 'LC-DEPROV-DISABLED-ENTRA',
    owner: 'ENTRA-CREATE-USER',
    deprovisionOwner: 'ENTRA-DISABLE-SOFT',
  },
  sailpoint: {
    provision: 'Create Account',
    deprovision: 'Disable Account',
    id: 'LC-DEPROV-DISABLED-SAILPOINT',
    owner: 'SP-CREATE-ACCOUNT',
    deprovisionOwner: 'SP-DISABLE-ACCOUNT',
  },
};

function lifecycleOf(tenant: LifecycleTenant, idp: IdpName): { provision(key: string): Promise<Step>; deprovision(key: string): Promise<Step> } {
  if (idp === 'okta') {
    const s = tenant.simulator('okta');
    return { provision: (k) => s.assign(k), deprovision: (k) => s.deactivate(k) };
  }
  if (idp === 'entra') {
    const s = tenant.simulator('entra');
    return { provision: (k) => s.provisionUser(k), deprovision: (k) => s.disable(k, 'soft-deleted') };
  }
  const s = tenant.simulator('sailpoint');
  return { provision: (k) => s.createAccount(k), deprovision: (k) => s.disableAccount(k) };
}

for (const idp of ['okta', 'entra', 'sailpoint'] as const) {
  const a = ACTIONS[idp];
  const person = lifecycleDirectory(idp).people[0]!;

  test(`${idp}: "${a.deprovision}" shows the user as Disabled in the Users tab`, req(a.id), async ({ tenant, needs }) => {
    const adapter = needs('userStatus');
    const sim = lifecycleOf(tenant, idp);
    await provided(tenant, sim.provision(person.key), `${idp} "${a.provision}"`, a.owner);
    await verify(a.id, async () => {
      expect(await adapter.userStatus(person.userName), 'status after provisioning').toBe('Active');
      await provided(tenant, sim.deprovision(person.key), `${idp} "${a.deprovision}"`, a.deprovisionOwner);
      expect(await adapter.userStatus(person.userName), `status after "${a.deprovision}"`).toBe('Disabled');
    });
  });

  test(`${idp}: after "${a.deprovision}" the user can no longer sign in through SSO`, req('LC-DEPROV-SIGNIN-REFUSED'), async ({ tenant, needs, freshPage }) => {
    const adapter = needs('signIn');
    const sim = lifecycleOf(tenant, idp);
    await provided(tenant, sim.provision(person.key), `${idp} "${a.provision}"`, a.owner);
    await given(
      'sign-in before deprovisioning',
      async () => expect(await adapter.signIn(await freshPage(), person.userName)).toBe('signed-in'),
      'LC-SSO-SIGNIN-PROVISIONED',
    );
    await provided(tenant, sim.deprovision(person.key), `${idp} "${a.deprovision}"`, a.deprovisionOwner);
    await verify('LC-DEPROV-SIGNIN-REFUSED', async () => {
      expect(await adapter.signIn(await freshPage(), person.userName), 'sign-in after deprovisioning').toBe('refused');
    });
  });
}

test('a user provisioned by the IdP signs in to the app through SSO', req('LC-SSO-SIGNIN-PROVISIONED'), async ({ tenant, needs, page }) => {
  const adapter = needs('signIn');
  const person = lifecycleDirectory('okta').people[1]!;
  const okta = tenant.simulator('okta');
  await provided(tenant, okta.assign(person.key), 'Okta "Assign"', 'OKTA-ASSIGN-CREATE');
  await verify('LC-SSO-SIGNIN-PROVISIONED', async () => {
    expect(await adapter.signIn(page, person.userName), 'sign-in through the IdP').toBe('signed-in');
  });
});
