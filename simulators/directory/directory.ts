import { englishFaker, type Faker } from './faker.ts';
import type { IdpName } from '../core/types.ts';

/** A person in the simulated IdP's directory. `idpId` is the IdP's own object id (Okta `00u…`, Entra GUID, …). */
export interface Person {
  key: string;
  idpId: string;
  userName: string;
  givenName: string;
  familyName: string;
  displayName: string;
  email: string;
  locale: string;
  title: string;
  department: string;
  employeeNumber: string;
  /** Entra's `mailNickname`, the default source of `externalId`. */
  mailNickname: string;
  /** A random placeholder: Okta sends one even when password sync is off. */
  password: string;
  managerKey?: string;
  /** Lifecycle in the IdP: Okta deactivates, Entra soft- then hard-deletes, SailPoint disables. */
  status: 'active' | 'suspended' | 'disabled' | 'deleted';
}

export interface DirectoryGroup {
  key: string;
  idpId: string;
  displayName: string;
  memberKeys: string[];
}

export interface Directory {
  idp: IdpName;
  seed: number;
  domain: string;
  people: Person[];
  groups: DirectoryGroup[];
  /** People assigned to the app (Okta Assignments tab, Entra "assigned users", SailPoint identities with an account). */
  assigned: Set<string>;
  /** Seeded generator for anything else a simulator needs to invent (GUIDs for Entra's test query, passwords). */
  faker: Faker;
}

export interface DirectoryOptions {
  seed: number;
  users?: number;
  groups?: number;
  domain?: string;
}

const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Support', 'Marketing', 'Legal'];

export function createDirectory(idp: IdpName, opts: DirectoryOptions): Directory {
  const faker = englishFaker(opts.seed);
  const domain = opts.domain ?? 'example.test';
  const people: Person[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < (opts.users ?? 3); i++) {
    const givenName = faker.person.firstName();
    const familyName = faker.person.lastName();
    let local = `${ascii(givenName)}.${ascii(familyName)}`;
    while (taken.has(local)) local = `${ascii(givenName)}.${ascii(familyName)}${faker.number.int({ min: 10, max: 9999 })}`;
    taken.add(local);
    const userName = `${local}@${domain}`;
    people.push({
      key: `user${i + 1}`,
      idpId: idpUserId(idp, faker),
      userName,
      givenName,
      familyName,
      displayName: `${givenName} ${familyName}`,
      email: userName,
      locale: 'en-US',
      title: faker.person.jobTitle(),
      department: faker.helpers.arrayElement(DEPARTMENTS),
      employeeNumber: String(faker.number.int({ min: 10000, max: 99999 })),
      mailNickname: local,
      password: faker.internet.password({ length: 16, prefix: 'Aa1!' }),
      status: 'active',
    });
  }
  // everyone after the first reports to the first person, so manager references always resolve
  for (const p of people.slice(1)) p.managerKey = people[0]?.key;
  const groups: DirectoryGroup[] = [];
  for (let g = 0; g < (opts.groups ?? 1); g++) {
    const name = `${faker.helpers.arrayElement(DEPARTMENTS)} ${faker.word.adjective()} ${faker.number.int({ min: 100, max: 999 })}`;
    groups.push({
      key: `group${g + 1}`,
      idpId: idpGroupId(idp, faker),
      displayName: name.replace(/\b\w/g, (c) => c.toUpperCase()),
      // the last person starts in no group, so a membership delta always has someone to add
      memberKeys: people.filter((_, i) => i % (opts.groups ?? 1) === g && (people.length < 2 || i !== people.length - 1)).map((p) => p.key),
    });
  }
  return { idp, seed: opts.seed, domain, people, groups, assigned: new Set(people.map((p) => p.key)), faker };
}

export function person(dir: Directory, key: string): Person {
  const p = dir.people.find((x) => x.key === key);
  if (!p) throw new Error(`no person ${key} in the ${dir.idp} directory`);
  return p;
}

function ascii(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase() || 'user'
  );
}

function idpUserId(idp: IdpName, f: Faker): string {
  if (idp === 'okta') return `00u${f.string.alphanumeric(17)}`;
  if (idp === 'entra') return f.string.uuid();
  return f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
}

function idpGroupId(idp: IdpName, f: Faker): string {
  if (idp === 'okta') return `00g${f.string.alphanumeric(17)}`;
  if (idp === 'entra') return f.string.uuid();
  return f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
}
