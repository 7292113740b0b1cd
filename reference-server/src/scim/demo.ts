import { randomUUID } from 'node:crypto';
import type { Store } from '../store/index.ts';
import { GROUP, USER } from './resource-types.ts';
import { validateResource } from './validate.ts';

export const DEMO_ACCOUNT_NAME = 'Demo Account';

/** Deterministic demo people (no faker): the same names on every run. */
const PEOPLE = [
  ['ann.lee', 'Ann', 'Lee', 'EMEA', 'Engineering'],
  ['bo.chen', 'Bo', 'Chen', 'APAC', 'Engineering'],
  ['carla.diaz', 'Carla', 'Diaz', 'AMER', 'Sales'],
  ['dev.patel', 'Dev', 'Patel', 'EMEA', 'Finance'],
  ['emma.schulz', 'Emma', 'Schulz', 'EMEA', 'Sales'],
  ['felix.okafor', 'Felix', 'Okafor', 'AMER', 'Support'],
] as const;

export const DEMO_REGIONS = ['EMEA', 'AMER', 'APAC'] as const;

export interface DemoAccount {
  accountId: string;
  token: string;
  created: boolean;
}

/**
 * Creates the demo account with its users and regions (SCIM Groups) on first use and reuses it afterwards, leaving
 * whatever SCIM clients changed since; a fresh SCIM token replaces the previous one. SSO (which SCIM needs active) is
 * configured and activated by the product's demo seeding (product/demo.ts), never active without settings.
 */
export function seedDemoAccount(store: Store, domain = 'demo.test'): DemoAccount {
  return store.tx(() => {
    const existing = store.accounts.findByName(DEMO_ACCOUNT_NAME);
    const account = existing ?? store.accounts.create({ name: DEMO_ACCOUNT_NAME });
    if (!existing) {
      const byRegion = new Map<string, string[]>(DEMO_REGIONS.map((r) => [r, []]));
      PEOPLE.forEach(([login, given, family, region, department], i) => {
        const userName = `${login}@${domain}`;
        const { data } = validateResource(
          USER,
          {
            userName,
            name: { givenName: given, familyName: family, formatted: `${given} ${family}` },
            displayName: `${given} ${family}`,
            emails: [{ value: userName, type: 'work', primary: true }],
            active: true,
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department, employeeNumber: String(1001 + i) },
          },
          'create',
        );
        const id = randomUUID();
        store.users.insert(account.id, id, data);
        byRegion.get(region)!.push(id);
      });
      for (const [region, ids] of byRegion) {
        const { data } = validateResource(GROUP, { displayName: region }, 'create');
        store.groups.insert(
          account.id,
          randomUUID(),
          data,
          ids.map((id) => ({ id, type: 'User' as const })),
        );
      }
    }
    const { token } = store.tokens.issueScimToken(account.id);
    return { accountId: account.id, token, created: !existing };
  });
}
