import { expect, notAssessed, readOnlyReq, req, test, verify } from '../../fixtures/test.ts';
import { NOT_CLAIMED } from '../../harness/capabilities.ts';
import type { DataFactory } from '../../harness/data.ts';
import { listResponseSchema, URN, type ScimUser } from '../../harness/scim-schemas.ts';
import { expectFilterSelects, expectScimError, expectStatus, resourceIds } from '../checks/scim.ts';

// RFC 7644 §3.4.2.2: every operator, logical form, path form and case rule, one test per requirement.

test.beforeEach(({ capabilities }) => {
  test.skip(!capabilities.filter, NOT_CLAIMED.filter);
});

interface Trio {
  prefix: string;
  tag: string;
  u1: ScimUser;
  u2: ScimUser;
  u3: ScimUser;
  all: ScimUser[];
}

/** Three Users whose names sort u1 < u2 < u3, with distinct attributes the filters tell apart. */
async function trio(make: DataFactory): Promise<Trio> {
  const tag = make.faker.string.alpha({ length: 6, casing: 'lower' });
  const pause = () => new Promise((r) => setTimeout(r, 15));
  const u1 = await make.user({
    name: { givenName: 'Ann', familyName: `${tag}Alpha` },
    title: 'Engineer',
    externalId: `Ext-${tag}-AbC`,
    emails: [
      { value: `${tag}.one@work.example.test`, type: 'work', primary: true },
      { value: `${tag}.one@home.example.test`, type: 'home' },
    ],
  });
  await pause();
  const u2 = await make.user({
    name: { givenName: 'Bob', familyName: `${tag}Beta` },
    active: false,
    emails: [{ value: `${tag}.two@work.example.test`, type: 'work' }],
  });
  await pause();
  const u3 = await make.user({ name: { givenName: 'Cid', familyName: `${tag}Gamma` }, emails: [{ value: `${tag}.three@home.example.test`, type: 'home' }] });
  return { prefix: make.prefix, tag, u1, u2, u3, all: [u1, u2, u3] };
}

type Case = [id: string, title: string, filter: (t: Trio) => string, expected: (t: Trio) => ScimUser[]];
const within = (t: Trio, f: string) => `userName sw "${t.prefix}" and ${f}`;

const CASES: Case[] = [
  ['RFC-FILTER-EQ', 'eq matches the equal value', (t) => `userName eq "${t.u1.userName}"`, (t) => [t.u1]],
  ['RFC-FILTER-NE', 'ne matches the values not equal', (t) => within(t, `name.familyName ne "${t.tag}Alpha"`), (t) => [t.u2, t.u3]],
  ['RFC-FILTER-CO', 'co matches a contained substring', (t) => `name.familyName co "${t.tag}Alp"`, (t) => [t.u1]],
  ['RFC-FILTER-SW', 'sw matches a prefix', (t) => `name.familyName sw "${t.tag}B"`, (t) => [t.u2]],
  ['RFC-FILTER-EW', 'ew matches a suffix', (t) => `name.familyName ew "${t.tag.slice(-3)}Gamma"`, (t) => [t.u3]],
  ['RFC-FILTER-PR', 'pr matches a present attribute', (t) => within(t, 'title pr'), (t) => [t.u1]],
  ['RFC-FILTER-GT', 'gt compares strictly greater', (t) => within(t, `userName gt "${t.u2.userName}"`), (t) => [t.u3]],
  ['RFC-FILTER-GE', 'ge compares greater or equal', (t) => within(t, `userName ge "${t.u2.userName}"`), (t) => [t.u2, t.u3]],
  ['RFC-FILTER-LT', 'lt compares strictly less', (t) => within(t, `userName lt "${t.u2.userName}"`), (t) => [t.u1]],
  ['RFC-FILTER-LE', 'le compares less or equal', (t) => within(t, `userName le "${t.u2.userName}"`), (t) => [t.u1, t.u2]],
  ['RFC-FILTER-AND', 'and needs both sides', (t) => `name.familyName sw "${t.tag}" and active eq true`, (t) => [t.u1, t.u3]],
  ['RFC-FILTER-OR', 'or takes either side', (t) => `userName eq "${t.u1.userName}" or userName eq "${t.u3.userName}"`, (t) => [t.u1, t.u3]],
  ['RFC-FILTER-NOT', 'not inverts', (t) => within(t, `not (userName eq "${t.u1.userName}")`), (t) => [t.u2, t.u3]],
  [
    'RFC-FILTER-GROUPING',
    'and binds tighter than or',
    (t) => `userName eq "${t.u1.userName}" or userName eq "${t.u2.userName}" and active eq true`,
    (t) => [t.u1],
  ],
  [
    'RFC-FILTER-GROUPING',
    'parentheses override precedence',
    (t) => `(userName eq "${t.u1.userName}" or userName eq "${t.u2.userName}") and active eq false`,
    (t) => [t.u2],
  ],
  ['RFC-FILTER-EQ-CASEINSENSITIVE', 'userName eq ignores case', (t) => `userName eq "${t.u1.userName!.toUpperCase()}"`, (t) => [t.u1]],
  ['RFC-FILTER-CASEEXACT', 'externalId (caseExact) does not match another case', (t) => `externalId eq "${t.u1.externalId!.toLowerCase()}"`, () => []],
  ['RFC-FILTER-EXTERNALID', 'externalId eq finds its User', (t) => `externalId eq "${t.u1.externalId}"`, (t) => [t.u1]],
  ['RFC-FILTER-OPERATOR-CASE', 'operators in any case', (t) => `userName EQ "${t.u1.userName}" Or name.familyName Sw "${t.tag}G"`, (t) => [t.u1, t.u3]],
  [
    'RFC-FILTER-ATTRNAME-CASE',
    'attribute names in any case',
    (t) => `USERNAME eq "${t.u2.userName}" or NAME.FAMILYNAME eq "${t.tag}Gamma"`,
    (t) => [t.u2, t.u3],
  ],
  ['RFC-FILTER-SUBATTR', 'a sub-attribute path', (t) => `name.givenName eq "Bob" and name.familyName sw "${t.tag}"`, (t) => [t.u2]],
  ['RFC-FILTER-MULTIVALUED', 'emails.value matches any element', (t) => `emails.value eq "${t.tag}.one@home.example.test"`, (t) => [t.u1]],
  ['RFC-FILTER-VALUEPATH', 'a value path matches inside one element', (t) => `emails[type eq "work" and value co "${t.tag}."]`, (t) => [t.u1, t.u2]],
  ['RFC-FILTER-VALUEPATH', 'a value path never joins two elements', (t) => `emails[type eq "home" and value eq "${t.tag}.one@work.example.test"]`, () => []],
  ['RFC-FILTER-URN', 'a full URN attribute name', (t) => `${URN.user}:userName eq "${t.u3.userName}"`, (t) => [t.u3]],
  ['RFC-FILTER-BOOLEAN', 'boolean literals', (t) => within(t, 'active eq false'), (t) => [t.u2]],
  ['RFC-FILTER-DATETIME', 'dateTime compares chronologically', (t) => within(t, `meta.lastModified gt "${t.u1.meta!.lastModified}"`), (t) => [t.u2, t.u3]],
];

for (const [id, title, filter, expected] of CASES) {
  test(`${id}: ${title}`, req(id), async ({ scim, make }) => {
    const t = await trio(make);
    await expectFilterSelects(scim, '/Users', filter(t), t.all, expected(t));
  });
}

test('a filter matching nothing is 200 with totalResults 0', readOnlyReq('RFC-FILTER-NOMATCH'), async ({ scim }) => {
  const { res, list } = await scim.list('/Users', { filter: 'userName eq "scimulator-nobody-by-this-name"' });
  expectStatus(res, 200);
  expect(list.totalResults).toBe(0);
  expect(list.Resources ?? []).toEqual([]);
});

test('a filter whose operator is not recognised answers 400 invalidFilter', readOnlyReq('RFC-FILTER-INVALID'), async ({ scim }) => {
  // the MUST (RFC 7644 §3.4.2.2) is for an operation the server does not recognise; other malformed filters get 400
  // by Table 9 without a keyword, so only an unknown operator is judged here
  await verify('RFC-FILTER-INVALID', async () => {
    for (const filter of ['userName xx "a"', 'userName equals "a"']) {
      await expectScimError(scim, await scim.get('/Users', { filter }), 400, 'invalidFilter');
    }
  });
});

test('spaces encoded as + read like %20', req('RFC-FILTER-PLUS-SPACE'), async ({ scim, make }) => {
  const user = await make.user();
  const res = await scim.get(`/Users?filter=userName+eq+%22${encodeURIComponent(user.userName!)}%22`);
  expectStatus(res, 200);
  expect((res.body as { Resources?: Array<{ id: string }> }).Resources?.map((r) => r.id)).toEqual([user.id]);
});

test('Groups filter by displayName eq', req('RFC-FILTER-GROUP-DISPLAYNAME'), async ({ scim, make }) => {
  const [g1, g2] = [await make.group(), await make.group()];
  await expectFilterSelects(scim, '/Groups', `displayName eq "${g2.displayName}"`, [g1, g2], [g2]);
});

test('Groups filter by members.value', req('RFC-FILTER-GROUP-MEMBERS'), async ({ scim, make }) => {
  const user = await make.user();
  const [g1, g2] = [await make.group({ members: [{ value: user.id }] }), await make.group()];
  await verify('RFC-FILTER-GROUP-MEMBERS', async () => {
    const probe = await scim.get('/Groups', { filter: `members.value eq "${user.id}"`, count: 200 });
    // "the attribute and filter comparison combination is not supported" (Table 9) is a refusal, not a wrong answer
    if (probe.status === 400) notAssessed(`the target does not filter Groups on members.value: ${probe.safeText.slice(0, 200)}`);
    const ids = resourceIds(await scim.validate(probe, listResponseSchema, 'ListResponse'));
    expect(ids).toContain(g1.id);
    expect(ids).not.toContain(g2.id);
  });
});
