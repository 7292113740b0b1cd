import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ScimError } from '../../errors.ts';
import { GROUPS, USERS } from './filter-fixtures.ts';
import { filterToSql, GROUPS_TABLE, matchesFilter, parseFilter, USERS_TABLE } from './index.ts';
import { TestDb } from './test-db.ts';

const db = new TestDb();
for (const u of USERS) db.insertUser(u);
for (const g of GROUPS) db.insertGroup(g);
after(() => db.close());

function viaMemory(list: Record<string, unknown>[], filter: string, opts = {}): string[] {
  const node = parseFilter(filter);
  return list.filter((r) => matchesFilter(node, r, opts)).map((r) => String(r.id));
}

/** Each row: [title, filter, ids expected]; both engines must return exactly these. */
const USER_CASES: [string, string, string[]][] = [
  // RFC 7644 §3.4.2.2 examples
  ['RFC example: userName eq', 'userName eq "bjensen"', ['u1']],
  ['RFC example: co with a quote inside', `name.familyName co "O'Malley"`, ['u2']],
  ['RFC example: sw', 'userName sw "J"', ['u2', 'u3']],
  ['RFC example: full URN attribute name', 'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ['u2', 'u3']],
  ['RFC example: pr (empty string is not present)', 'title pr', ['u1']],
  ['RFC example: dateTime gt compares as dates', 'meta.lastModified gt "2011-05-13T04:42:34Z"', ['u2', 'u4']],
  ['RFC example: dateTime ge', 'meta.lastModified ge "2011-05-13T04:42:34Z"', ['u1', 'u2', 'u3', 'u4']],
  ['RFC example: dateTime lt', 'meta.lastModified lt "2011-05-13T04:42:34Z"', []],
  ['RFC example: dateTime le', 'meta.lastModified le "2011-05-13T04:42:34Z"', ['u1', 'u3']],
  ['RFC example: pr and eq', 'title pr and userType eq "Employee"', ['u1']],
  ['RFC example: pr or eq', 'title pr or userType eq "Intern"', ['u1', 'u2']],
  ['RFC example: schemas eq extension URN', 'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', ['u1']],
  ['RFC example: grouping with multi-valued co', 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', ['u1', 'u3']],
  ['RFC example: ne and not', 'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', ['u4']],
  ['RFC example: sub-attribute of multi-valued', 'userType eq "Employee" and (emails.type eq "work")', ['u1', 'u3']],
  ['RFC example: value path', 'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', ['u1', 'u3']],
  ['RFC §3.4.2.2 root search example with unquoted resource types', '(meta.resourceType eq User) or (meta.resourceType eq Group)', ['u1', 'u2', 'u3', 'u4']],
  ['RFC example: two value paths', 'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', ['u1', 'u2', 'u3']],
  // precedence and case rules
  ['precedence: and binds tighter than or', 'userType eq "Intern" or userType eq "Employee" and title pr', ['u1', 'u2']],
  ['precedence: grouping overrides', '(userType eq "Intern" or userType eq "Employee") and title pr', ['u1']],
  ['precedence: not binds tightest', 'not (active eq true) and userType eq "Intern"', ['u2']],
  ['operators and attribute names are case-insensitive', 'EMAILS.VALUE Eq "bjensen@example.com" AND UserName PR', ['u1']],
  ['caseExact=false attribute compares caselessly', 'displayName co "ZOLA"', ['u4']],
  ['caseExact externalId compares exactly', 'externalId eq "BJENSEN-EXT"', []],
  ['userName folds non-ASCII letters like the store', 'userName eq "émile"', ['u4']],
  ['absent attribute: ne matches, eq does not', 'userType ne "Employee"', ['u2', 'u4']],
  ['eq null means not present', 'userType eq null', ['u4']],
  ['ne null means present', 'userType ne null', ['u1', 'u2', 'u3']],
  ['empty multi-valued attribute is not present', 'emails pr', ['u1', 'u2', 'u3']],
  ['complex attribute pr', 'name pr', ['u1', 'u2']],
  ['value path with primary boolean and ew', 'emails[primary eq true and value ew "home.test"]', ['u3']],
  ['gt on strings is lexical and caseless', 'userName gt "jane"', ['u2', 'u3', 'u4']],
  ['unknown attribute matches nothing', 'nickName2 eq "x"', []],
  ['not of unknown attribute matches everything', 'not (nickName2 eq "x")', ['u1', 'u2', 'u3', 'u4']],
  ['meta.version eq the ETag', 'meta.version eq "W/\\"3\\""', ['u1']],
  ['meta.resourceType', 'meta.resourceType eq "User"', ['u1', 'u2', 'u3', 'u4']],
  ['groups by value (memberships table)', 'groups.value eq "g2"', ['u2']],
  ['groups value path on display', 'groups[display eq "tour guides"]', ['u1', 'u2']],
  ['JSON string escapes in literals', 'name.familyName eq "O\\u0027Malley"', ['u2']],
  // IdP quirks (docs/idp-patterns.md)
  ['Okta §2.8 userName re-queried in upper case still matches', 'userName eq "BJENSEN"', ['u1']],
  ['Okta §2.8 userName in mixed case matches a lower-case query', 'userName eq "jsmith"', ['u2']],
  ['Entra §3.4 match by externalId', 'externalId eq "bjensen-ext"', ['u1']],
  ['Entra §3.6 unquoted value (externalId eq jyoung)', 'externalId eq JDOE', ['u3']],
  ['Entra §3.4 match by emails[type eq "work"].value eq', 'emails[type eq "work"].value eq "JSMITH@example.org"', ['u2']],
  ['Entra §3.4 emails[...].value applies to the same element', 'emails[type eq "home"].value eq "bjensen@example.com"', []],
  ['Entra §3.4 E6 manager check: id eq and manager eq', 'id eq "u1" and manager eq "u3"', ['u1']],
  ['Entra §3.6 enterprise URN attribute', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"', ['u1']],
  ['Entra §3.6 enterprise URN sub-attribute', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "u3"', ['u1']],
  ['Entra §3.6 disabled users are still found by filters', 'active eq false', ['u2']],
  ['Entra §3.6 string boolean in filter', 'active eq "False"', ['u2']],
  ['SailPoint §4.4 admin filter userName sw', 'userName sw "j"', ['u2', 'u3']],
  ['SailPoint §4.4 delta aggregation meta.lastModified gt and filter', 'meta.lastModified gt "2011-05-13T04:42:34.000Z" and userName sw "j"', ['u2']],
];

const GROUP_CASES: [string, string, string[]][] = [
  ['Entra §3.6 filter Groups by displayName (caseless)', 'displayName eq "tour guides"', ['g1']],
  ['member value path', 'members[value eq "u2"]', ['g1', 'g2']],
  ['members.value', 'members.value eq "u1"', ['g1']],
  ['members eq implies value', 'members eq "u1"', ['g1']],
  ['members pr', 'members pr', ['g1', 'g2']],
  ['not members pr', 'not (members pr)', ['g3']],
  ['externalId on groups', 'externalId eq "INT"', ['g2']],
  ['sw or ew', 'displayName sw "T" or displayName ew "ity"', ['g1', 'g3']],
  ['users-only attribute on groups matches nothing', 'userName eq "bjensen"', []],
  ['RFC §3.4.2.2 root search example restricted to Groups', '(meta.resourceType eq User) or (meta.resourceType eq Group)', ['g1', 'g2', 'g3']],
];

describe('filters: table-driven, in memory and in SQLite', () => {
  for (const [title, filter, ids] of USER_CASES) {
    test(`Users: ${title} — ${filter}`, () => {
      assert.deepEqual(viaMemory(USERS, filter), ids, 'matchesFilter');
      assert.deepEqual(db.select('users', parseFilter(filter)), ids, 'filterToSql');
    });
  }
  for (const [title, filter, ids] of GROUP_CASES) {
    test(`Groups: ${title} — ${filter}`, () => {
      assert.deepEqual(viaMemory(GROUPS, filter), ids, 'matchesFilter');
      assert.deepEqual(db.select('groups', parseFilter(filter)), ids, 'filterToSql');
    });
  }
});

const isInvalidFilter = (e: unknown) => e instanceof ScimError && e.status === 400 && e.scimType === 'invalidFilter';

/** Filters that must be refused with 400 invalidFilter by the parser or by both engines. */
const INVALID: [string, string][] = [
  ['empty', ''],
  ['missing value', 'userName eq'],
  ['unknown operator', 'userName zz "x"'],
  ['unbalanced (', '(userName eq "a"'],
  ['unbalanced )', 'userName eq "a")'],
  ['unclosed value path', 'emails[type eq "work"'],
  ['dangling sub-attribute after value path', 'emails[type eq "work"].value'],
  ['literal alone', '"bjensen"'],
  ['unterminated string', 'userName eq "abc'],
  ['bad escape', 'userName eq "a\\xb"'],
  ['not without parentheses', 'not userName eq "a"'],
  ['too many dots', 'name.givenName.x eq "a"'],
  ['nested value path', 'emails[type[value eq "x"]]'],
  ['trailing and', 'userName eq "a" and'],
  ['pr with a value', 'userName pr "x"'],
  ['stray character', 'userName eq "a" & title pr'],
  ['gt on a boolean', 'active gt true'],
  ['le on a boolean inside a value path', 'emails[primary le true]'],
  ['gt on a complex attribute', 'name gt "x"'],
  ['gt on a multi-valued complex attribute', 'emails gt "x"'],
  ['eq on a complex attribute without value', 'name eq "x"'],
  ['date that is not a date', 'meta.lastModified gt "yesterday"'],
  ['co on a date', 'meta.created co "2011"'],
  ['number compared with a string attribute', 'userName eq 42'],
  ['non-boolean compared with a boolean attribute', 'active eq "yes"'],
  ['gt null', 'title gt null'],
  ['writeOnly password is never filterable', 'password eq "secret"'],
  ['value path on a simple attribute', 'userName[value eq "x"]'],
  ['sub-attribute with a value filter', 'emails.value[type eq "x"]'],
];

describe('filters: invalid input gives 400 invalidFilter', () => {
  for (const [title, filter] of INVALID) {
    test(`${title}: ${JSON.stringify(filter)}`, () => {
      assert.throws(() => {
        const node = parseFilter(filter);
        for (const u of USERS) matchesFilter(node, u);
        filterToSql(node, USERS_TABLE);
      }, isInvalidFilter);
      assert.throws(() => filterToSql(parseFilter(filter), USERS_TABLE), isInvalidFilter);
    });
  }

  test('attributes the layout cannot answer are refused by the SQL compiler', () => {
    assert.throws(() => filterToSql(parseFilter('members.display eq "x"'), GROUPS_TABLE), isInvalidFilter);
    assert.throws(() => filterToSql(parseFilter('meta.location eq "x"'), USERS_TABLE), isInvalidFilter);
    assert.throws(() => filterToSql(parseFilter('meta.version gt "W/\\"1\\""'), USERS_TABLE), isInvalidFilter);
  });

  test('errors say where the problem is', () => {
    assert.throws(() => parseFilter('userName eq "a" or or'), /position 19/);
  });
});

describe('filters: SQL is parameterised', () => {
  test('client values only travel as parameters', () => {
    const evil = `x'); DROP TABLE users; --`;
    const frag = filterToSql(parseFilter(`userName eq ${JSON.stringify(evil)} or displayName co ${JSON.stringify(evil)}`), USERS_TABLE);
    assert.ok(!frag.sql.includes('DROP'), frag.sql);
    assert.deepEqual(frag.params, [evil.toLowerCase(), evil.toLowerCase()]);
    assert.deepEqual(db.select('users', parseFilter(`userName eq ${JSON.stringify(evil)}`)), []);
  });

  test('userName eq uses the indexed user_name_norm column', () => {
    const frag = filterToSql(parseFilter('userName eq "BJensen"'), USERS_TABLE);
    assert.match(frag.sql, /users\.user_name_norm = \?/);
    assert.deepEqual(frag.params, ['bjensen']);
  });

  test('userName eq and externalId eq are answered from an index, not a scan', () => {
    for (const [filter, index] of [
      ['userName eq "BJensen"', 'users_user_name_norm'],
      ['externalId eq "x" and active eq true', 'users_external_id'],
    ]) {
      const frag = filterToSql(parseFilter(filter!), USERS_TABLE);
      const plan = db.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM users WHERE account_id = ? AND (${frag.sql})`).all('acct-1', ...frag.params) as {
        detail: string;
      }[];
      assert.match(plan.map((p) => p.detail).join(' | '), new RegExp(`USING (COVERING )?INDEX ${index}`), filter);
    }
  });

  test('JSON comparisons are prefiltered on the row text with the most selective literal', () => {
    const frag = filterToSql(parseFilter('phoneNumbers[type eq "work"].value eq "+1 555 0100"'), USERS_TABLE);
    assert.match(frag.sql, /^\(users\.data LIKE \? ESCAPE/);
    assert.equal(frag.params[0], '%+1 555 0100%');
    assert.doesNotMatch(filterToSql(parseFilter('title eq "a\\"b"'), USERS_TABLE).sql, /LIKE/, 'a quote is escaped in JSON text: no prefilter');
  });

  test('the prefilter escapes LIKE wildcards and keeps results exact', () => {
    const t = new TestDb();
    try {
      t.insertUser({ id: 'p1', userName: 'p1', title: '50%_off', emails: [{ value: 'Under_Score@x.test', type: 'work' }] });
      t.insertUser({ id: 'p2', userName: 'p2', title: '50X-off', emails: [{ value: 'underXscore@x.test', type: 'work' }] });
      t.insertUser({ id: 'p3', userName: 'p3', title: 'say "hi"' });
      assert.deepEqual(t.select('users', parseFilter('title eq "50%_off"')), ['p1']);
      assert.deepEqual(t.select('users', parseFilter('title co "%_"')), ['p1']);
      assert.deepEqual(t.select('users', parseFilter('emails[type eq "work" and value sw "under_score"]')), ['p1']);
      assert.deepEqual(t.select('users', parseFilter('title co "\\"hi\\""')), ['p3']);
    } finally {
      t.close();
    }
  });

  test('an alias for the table is honoured', () => {
    const frag = filterToSql(parseFilter('members pr'), GROUPS_TABLE, { alias: 'g' });
    assert.match(frag.sql, /= g\.id/);
  });

  test('caseSensitiveUserName (a seam for a deliberate defect) compares userName exactly', () => {
    const node = parseFilter('userName eq "BJENSEN"');
    assert.deepEqual(db.select('users', node, { caseSensitiveUserName: true }), []);
    assert.equal(matchesFilter(node, USERS[0]!, { caseSensitiveUserName: true }), false);
    assert.deepEqual(db.select('users', parseFilter('userName eq "bjensen"'), { caseSensitiveUserName: true }), ['u1']);
  });
});
