import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ScimError } from '../../errors.ts';
import { applyPatch, parsePatchPath, PATCH_OP_SCHEMA, type MembershipDelta, type PatchContext } from './index.ts';

type Json = Record<string, unknown>;
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ID = '2819c223-7f76-453a-919d-413861904646';
const ID2 = '902c246b-6245-4190-8e05-00816be7344a';

const user = (): Json => ({
  id: 'u1',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood' }],
  x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAA=' }],
  [ENT]: { employeeNumber: '701984', department: 'Tour Operations' },
});
const group = (): Json => ({ id: 'g1', displayName: 'Tour Guides' });

const body = (...ops: Json[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations: ops });
const onUser = (ops: Json[], res = user(), ctx: Partial<PatchContext> = {}) => applyPatch(res, body(...ops), { kind: 'User', ...ctx });
const onGroup = (ops: Json[], ctx: Partial<PatchContext> = {}) => applyPatch(group(), body(...ops), { kind: 'Group', ...ctx });

function scimError(code: string) {
  return (e: unknown) => {
    assert.ok(e instanceof ScimError, `expected a ScimError, got ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.scimType, code, e.message);
    return true;
  };
}

const delta = (d: Partial<MembershipDelta>): MembershipDelta => ({ add: [], remove: [], ...d });

describe('PATCH: RFC 7644 §3.5.2 examples', () => {
  test('§3.5.2 path examples parse; members[...].displayName names no sub-attribute of members (400 invalidPath)', () => {
    assert.equal(parsePatchPath('members', 'Group').r.def.name, 'members');
    assert.equal(parsePatchPath('name.familyName', 'User').r.sub?.name, 'familyName');
    assert.ok(parsePatchPath('addresses[type eq "work"]', 'User').filter);
    assert.ok(parsePatchPath(`members[value eq "${ID}"]`, 'Group').filter);
    assert.equal(parsePatchPath(`members[value eq "${ID}"].display`, 'Group').subAfter?.name, 'display');
    assert.throws(() => parsePatchPath(`members[value eq "${ID}"].displayName`, 'Group'), scimError('invalidPath'));
    assert.equal(parsePatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', 'User').r.extension, ENT);
  });

  test('§3.5.2.1 add a member to a group (path members, value list)', () => {
    const r = onGroup([{ op: 'add', path: 'members', value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${ID}`, value: ID }] }]);
    assert.deepEqual(r.members, delta({ add: [{ value: ID }] }));
    assert.deepEqual(r.resource, group());
  });

  test('§3.5.2.1 add without path merges attributes (emails appended, nickname by case-insensitive name)', () => {
    const r = onUser([
      {
        op: 'add',
        value: {
          emails: [
            { value: 'babs@jensen.org', type: 'home' },
            { value: 'b@new.test', type: 'other' },
          ],
          nickname: 'Babs',
        },
      },
    ]);
    assert.equal(r.resource.nickName, 'Babs');
    assert.deepEqual(
      (r.resource.emails as Json[]).map((e) => e.value),
      ['bjensen@example.com', 'babs@jensen.org', 'b@new.test'],
    );
  });

  test('§3.5.2.2 remove all members', () => {
    assert.deepEqual(onGroup([{ op: 'remove', path: 'members' }]).members, delta({ replaceAll: [], removeAll: true }));
  });

  test('§3.5.2.2 remove one member by filter', () => {
    assert.deepEqual(onGroup([{ op: 'remove', path: `members[value eq "${ID}"]` }]).members, delta({ remove: [ID] }));
  });

  test('§3.5.2.2 remove emails matching a complex filter', () => {
    const r = onUser([{ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }]);
    assert.deepEqual(r.resource.emails, [{ value: 'babs@jensen.org', type: 'home' }]);
  });

  test('§3.5.2.2 remove a binary value by filter', () => {
    const r = onUser([{ op: 'remove', path: 'x509Certificates[value eq "MIIDQzCCAqygAwIBAgICEAA="]' }]);
    assert.equal(r.resource.x509Certificates, undefined);
  });

  test('§3.5.2.2 remove two members in two operations', () => {
    const r = onGroup([
      { op: 'remove', path: `members[value eq "${ID}"]` },
      { op: 'remove', path: `members[value eq "${ID2}"]` },
    ]);
    assert.deepEqual(r.members, delta({ remove: [ID, ID2] }));
  });

  test('§3.5.2.2 remove a single-valued attribute', () => {
    const r = onUser([{ op: 'remove', path: 'title' }]);
    assert.equal(r.resource.title, undefined);
  });

  test('§3.5.2.3 replace all members: remove then add', () => {
    const r = onGroup([
      { op: 'remove', path: 'members' },
      { op: 'add', path: 'members', value: [{ value: ID }, { value: ID2 }] },
    ]);
    assert.deepEqual(r.members, delta({ replaceAll: [{ value: ID }, { value: ID2 }] }));
  });

  test('§3.5.2.3 replace members with a list', () => {
    const r = onGroup([{ op: 'replace', path: 'members', value: [{ value: ID, display: 'Babs' }, { value: ID2 }] }]);
    assert.deepEqual(r.members, delta({ replaceAll: [{ value: ID }, { value: ID2 }] }));
  });

  test('§3.5.2.3 replace the work address (value filter, no sub-attribute)', () => {
    const value = {
      type: 'work',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      primary: true,
    };
    const r = onUser([{ op: 'replace', path: 'addresses[type eq "work"]', value }]);
    assert.deepEqual(r.resource.addresses, [value]);
  });

  test('§3.5.2.3 replace a sub-attribute of the matching value', () => {
    const r = onUser([{ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' }]);
    assert.deepEqual(r.resource.addresses, [{ type: 'work', streetAddress: '1010 Broadway Ave', locality: 'Hollywood' }]);
  });

  test('§3.5.2.3 replace without path replaces each attribute', () => {
    const emails = [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ];
    const r = onUser([{ op: 'replace', value: { emails, nickname: 'Babs' } }]);
    assert.deepEqual(r.resource.emails, emails);
    assert.equal(r.resource.nickName, 'Babs');
  });

  test('§3.5.2.3 replace a complex attribute merges its sub-attributes', () => {
    const r = onUser([{ op: 'replace', path: 'name', value: { familyName: 'Smith' } }]);
    assert.deepEqual(r.resource.name, { givenName: 'Barbara', familyName: 'Smith' });
  });
});

describe('PATCH: Okta quirks (docs/idp-patterns.md §2.4, §2.8)', () => {
  test('Okta §2.8 no-path replace with an object value deactivates (B3)', () => {
    const r = onUser([{ op: 'replace', value: { active: false } }]);
    assert.equal(r.resource.active, false);
    assert.ok(r.changed);
  });

  test('Okta §2.8 group replace carrying the readOnly id equal to the current one is accepted (B7)', () => {
    const r = onGroup([{ op: 'replace', value: { id: 'g1', displayName: 'Eng' } }]);
    assert.equal(r.resource.displayName, 'Eng');
    assert.equal(r.resource.id, 'g1');
    assert.equal(r.members, undefined);
  });

  test('Okta §2.8 readOnly id different from the current one is 400 mutability', () => {
    assert.throws(() => onGroup([{ op: 'replace', value: { id: 'other', displayName: 'Eng' } }]), scimError('mutability'));
  });

  test('Okta §2.8 filtered member removal removes exactly that member, alongside an add (B8)', () => {
    const r = onGroup([
      { op: 'remove', path: `members[value eq "${ID}"]` },
      { op: 'add', path: 'members', value: [{ value: ID2, display: 'bob@ex.test' }] },
    ]);
    assert.deepEqual(r.members, delta({ add: [{ value: ID2 }], remove: [ID] }));
  });

  test('Okta §2.8 add members is an add, never a replace', () => {
    const r = onGroup([{ op: 'add', path: 'members', value: [{ value: ID }] }]);
    assert.equal(r.members?.replaceAll, undefined);
  });

  test('Okta §2.8 empty membership replace (value: []) empties the group (B9)', () => {
    assert.deepEqual(onGroup([{ op: 'replace', path: 'members', value: [] }]).members, delta({ replaceAll: [], removeAll: true }));
  });

  test('Okta §2.4 B9 no-path variant {members: [], id, displayName}', () => {
    const r = onGroup([{ op: 'replace', value: { members: [], id: 'g1', displayName: 'Eng' } }]);
    assert.deepEqual(r.members, delta({ replaceAll: [], removeAll: true }));
    assert.equal(r.resource.displayName, 'Eng');
  });

  test('Okta §2.8 members without type are accepted', () => {
    assert.deepEqual(onGroup([{ op: 'add', path: 'members', value: [{ value: ID, display: 'x' }] }]).members?.add, [{ value: ID }]);
  });

  test('Okta §2.4 B5 password sync: the password comes back separately, never in the resource', () => {
    const r = onUser([{ op: 'replace', value: { password: 'Xy7!random' } }]);
    assert.equal(r.password, 'Xy7!random');
    assert.equal(r.resource.password, undefined);
  });
});

describe('PATCH: Entra quirks (docs/idp-patterns.md §3.4-3.6)', () => {
  test('Entra §3.4 E3 Replace emails[type eq "work"].value and name.familyName (capitalised op)', () => {
    const r = onUser([
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@contoso.test' },
      { op: 'Replace', path: 'name.familyName', value: 'Smith' },
    ]);
    assert.equal((r.resource.emails as Json[])[0]!.value, 'new@contoso.test');
    assert.equal((r.resource.emails as Json[])[1]!.value, 'babs@jensen.org');
    assert.equal((r.resource.name as Json).familyName, 'Smith');
  });

  test('Entra §3.4 E4 Replace userName', () => {
    assert.equal(onUser([{ op: 'Replace', path: 'userName', value: 'new-upn@contoso.test' }]).resource.userName, 'new-upn@contoso.test');
  });

  test('Entra §3.4 E5 no-path replace with dotted keys and a URN key', () => {
    const r = onUser([{ op: 'replace', value: { displayName: 'Ann L', 'name.givenName': 'Ann', 'name.familyName': 'L', [`${ENT}:employeeNumber`]: '42' } }]);
    assert.equal(r.resource.displayName, 'Ann L');
    assert.deepEqual(r.resource.name, { givenName: 'Ann', familyName: 'L' });
    assert.deepEqual(r.resource[ENT], { employeeNumber: '42', department: 'Tour Operations' });
  });

  test('Entra §3.4 E5 the same no-path form with op "add"', () => {
    const r = onUser([{ op: 'add', value: { 'name.givenName': 'Ann', [`${ENT}:department`]: 'Sales' } }]);
    assert.equal((r.resource.name as Json).givenName, 'Ann');
    assert.equal((r.resource[ENT] as Json).department, 'Sales');
  });

  test('Entra §3.4 E6 manager as documented: path manager, array of {$ref, value}', () => {
    const r = onUser([{ op: 'Add', path: 'manager', value: [{ $ref: 'https://x/Users/m1', value: 'm1' }] }]);
    assert.deepEqual((r.resource[ENT] as Json).manager, { value: 'm1' });
  });

  test('Entra §3.4 E6 manager as a bare id on the URN path', () => {
    const r = onUser([{ op: 'add', path: `${ENT}:manager`, value: 'm2' }]);
    assert.deepEqual((r.resource[ENT] as Json).manager, { value: 'm2' });
  });

  test('Entra §3.4 E6 manager as an object; remove clears it', () => {
    const set = onUser([{ op: 'replace', path: `${ENT}:manager`, value: { value: 'm3', $ref: null } }]);
    assert.deepEqual((set.resource[ENT] as Json).manager, { value: 'm3' });
    const cleared = onUser([{ op: 'remove', path: 'manager' }], set.resource);
    assert.equal((cleared.resource[ENT] as Json).manager, undefined);
  });

  for (const value of ['False', 'false', false]) {
    test(`Entra §3.4 E7 disable with active ${JSON.stringify(value)} stores a boolean`, () => {
      assert.equal(onUser([{ op: 'Replace', path: 'active', value }]).resource.active, false);
    });
  }

  test('Entra §3.4 E7 re-enable with "True"', () => {
    assert.equal(onUser([{ op: 'Replace', path: 'active', value: 'True' }], { ...user(), active: false }).resource.active, true);
  });

  test('Entra §3.4 E8 extra schema URNs in the PatchOp schemas are accepted', () => {
    const r = applyPatch(
      group(),
      {
        schemas: [PATCH_OP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
        Operations: [{ op: 'Replace', path: 'displayName', value: 'Eng-2' }],
      },
      { kind: 'Group' },
    );
    assert.equal(r.resource.displayName, 'Eng-2');
  });

  test('Entra §3.4 E9 no-path group replace does not touch members', () => {
    const r = onGroup([{ op: 'replace', value: { displayName: 'Eng-3' } }]);
    assert.equal(r.members, undefined);
  });

  test('Entra §3.4 E10 add several members with $ref: null', () => {
    const r = onGroup([
      {
        op: 'Add',
        path: 'members',
        value: [
          { $ref: null, value: ID },
          { $ref: null, value: ID2 },
        ],
      },
    ]);
    assert.deepEqual(r.members, delta({ add: [{ value: ID }, { value: ID2 }] }));
  });

  test('Entra §3.4 E11 legacy Remove members with a value list removes exactly those', () => {
    const r = onGroup([{ op: 'Remove', path: 'members', value: [{ value: ID }] }]);
    assert.deepEqual(r.members, delta({ remove: [ID] }));
  });

  test('Entra §3.4 E11 compliant remove members[value eq "id"]', () => {
    assert.deepEqual(onGroup([{ op: 'remove', path: `members[value eq "${ID}"]` }]).members, delta({ remove: [ID] }));
  });

  test('Entra §3.6 Add emails[type eq "work"].value creates the work email when there is none', () => {
    const res = { ...user(), emails: [{ value: 'babs@jensen.org', type: 'home' }] };
    const r = onUser([{ op: 'Add', path: 'emails[type eq "work"].value', value: 'w@contoso.test' }], res);
    assert.deepEqual(r.resource.emails, [
      { value: 'babs@jensen.org', type: 'home' },
      { type: 'work', value: 'w@contoso.test' },
    ]);
  });

  test('Entra §3.6 Add phoneNumbers[type eq "mobile"].value on a user with no phone numbers', () => {
    const r = onUser([{ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' }]);
    assert.deepEqual(r.resource.phoneNumbers, [{ type: 'mobile', value: '+1 555 0100' }]);
  });

  test('Entra §3.6 Add addresses[type eq "work"].streetAddress fills the existing work address, or creates one', () => {
    const r = onUser([{ op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' }]);
    assert.deepEqual(r.resource.addresses, [{ type: 'work', streetAddress: '1 Main St', locality: 'Hollywood' }]);
    const fresh = onUser([{ op: 'Add', path: 'addresses[type eq "home"].streetAddress', value: '2 Elm St' }]);
    assert.deepEqual((fresh.resource.addresses as Json[])[1], { type: 'home', streetAddress: '2 Elm St' });
  });

  test('Entra §3.6 type values stay unique: adding a second work email by value path updates the first', () => {
    const r = onUser([{ op: 'Add', path: 'emails[type eq "work"].value', value: 'second@x.test' }]);
    assert.deepEqual(
      (r.resource.emails as Json[]).filter((e) => e.type === 'work').map((e) => e.value),
      ['second@x.test'],
    );
  });

  test('Entra §3.6 enterprise extension paths: add, replace and remove department', () => {
    const added = onUser([{ op: 'add', path: `${ENT}:costCenter`, value: '4130' }]);
    assert.equal((added.resource[ENT] as Json).costCenter, '4130');
    const replaced = onUser([{ op: 'replace', path: `${ENT}:department`, value: 'Sales' }]);
    assert.equal((replaced.resource[ENT] as Json).department, 'Sales');
    const removed = onUser([
      { op: 'remove', path: `${ENT}:department` },
      { op: 'remove', path: `${ENT}:employeeNumber` },
    ]);
    assert.equal(removed.resource[ENT], undefined, 'an emptied extension object disappears');
  });

  test('Entra §3.6 replace a multi-valued attribute with a single object instead of a list', () => {
    const r = onUser([{ op: 'replace', path: 'emails', value: { value: 'only@x.test', type: 'work' } }]);
    assert.deepEqual(r.resource.emails, [{ value: 'only@x.test', type: 'work' }]);
  });

  test('client-sent meta and schemas in a no-path value: the current values are ignored, others are 400', () => {
    const meta = { resourceType: 'User', created: '2026-01-01T00:00:00Z', version: 'W/"1"' };
    const withMeta = { ...user(), meta };
    const same = onUser(
      [{ op: 'replace', value: { meta: { resourceType: 'User' }, schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT], title: 'Boss' } }],
      withMeta,
    );
    assert.deepEqual(same.resource.meta, meta);
    assert.equal(same.resource.title, 'Boss');
    assert.throws(() => onUser([{ op: 'replace', value: { meta: { resourceType: 'User', created: 'x' }, title: 'Boss' } }], withMeta), scimError('mutability'));
    assert.throws(() => onUser([{ op: 'replace', value: { schemas: ['urn:x'], title: 'Boss' } }], withMeta), scimError('invalidValue'));
  });
});

describe('PATCH: SailPoint patterns (docs/idp-patterns.md §4.4, §4.6)', () => {
  test('SailPoint §4.4 S2/S3 one replace per attribute, real booleans', () => {
    const r = onUser([
      { op: 'replace', path: 'title', value: 'Lead' },
      { op: 'replace', path: 'active', value: false },
    ]);
    assert.equal(r.resource.title, 'Lead');
    assert.equal(r.resource.active, false);
  });

  test('SailPoint §4.4 S4 add one member per request never loses the others (parallel entitlement adds)', () => {
    const r = onGroup([{ op: 'add', path: 'members', value: [{ value: ID }] }]);
    assert.deepEqual(r.members, delta({ add: [{ value: ID }] }));
  });

  test("SailPoint §4.4 S4' add on the User's readOnly groups is 400 mutability", () => {
    assert.throws(() => onUser([{ op: 'add', path: 'groups', value: [{ value: 'g1' }] }]), scimError('mutability'));
    assert.throws(() => onUser([{ op: 'remove', path: 'groups[value eq "g1"]' }]), scimError('mutability'));
  });

  test('SailPoint §4.4 change password by path', () => {
    assert.equal(onUser([{ op: 'replace', path: 'password', value: 'N3w!pass' }]).password, 'N3w!pass');
  });
});

describe('PATCH: rules', () => {
  test('value filter matching nothing: replace is 400 noTarget', () => {
    assert.throws(() => onUser([{ op: 'replace', path: 'emails[type eq "other"].value', value: 'x@y.test' }]), scimError('noTarget'));
  });

  test('value filter matching nothing: remove is a no-op success', () => {
    const r = onUser([{ op: 'remove', path: 'emails[type eq "other"]' }]);
    assert.deepEqual(r.resource, user());
    assert.equal(r.changed, false);
  });

  test('remove without path is 400 noTarget', () => {
    assert.throws(() => onUser([{ op: 'remove' }]), scimError('noTarget'));
  });

  test('multi-valued add does not duplicate an existing value', () => {
    const r = onUser([{ op: 'add', path: 'emails', value: [{ value: 'BJENSEN@example.com', type: 'work' }] }]);
    assert.equal((r.resource.emails as Json[]).length, 2);
  });

  test('setting a primary value clears primary on the others', () => {
    const r = onUser([{ op: 'add', path: 'emails', value: [{ value: 'new@x.test', type: 'other', primary: true }] }]);
    assert.deepEqual(
      (r.resource.emails as Json[]).filter((e) => e.primary === true).map((e) => e.value),
      ['new@x.test'],
    );
  });

  test('primary set through a value filter path clears the others', () => {
    const r = onUser([{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }]);
    assert.deepEqual(
      (r.resource.emails as Json[]).filter((e) => e.primary === true).map((e) => e.value),
      ['babs@jensen.org'],
    );
  });

  test('two primary values in one operation are 400 invalidValue', () => {
    const value = [
      { value: 'a@x.test', primary: true },
      { value: 'b@x.test', primary: true },
    ];
    assert.throws(() => onUser([{ op: 'replace', path: 'emails', value }]), scimError('invalidValue'));
  });

  test('atomic: a failing operation leaves the resource unchanged', () => {
    const before = user();
    assert.throws(
      () => applyPatch(before, body({ op: 'replace', path: 'title', value: 'Changed' }, { op: 'replace', path: 'active', value: 'maybe' }), { kind: 'User' }),
      scimError('invalidValue'),
    );
    assert.deepEqual(before, user());
  });

  test('the input resource is never modified, even on success', () => {
    const before = user();
    onUser(
      [
        { op: 'remove', path: 'emails' },
        { op: 'replace', path: 'name.givenName', value: 'B' },
      ],
      before,
    );
    assert.deepEqual(before, user());
  });

  test('remove of a required attribute is 400 invalidValue', () => {
    assert.throws(() => onUser([{ op: 'remove', path: 'userName' }]), scimError('invalidValue'));
    assert.throws(() => onGroup([{ op: 'remove', path: 'displayName' }]), scimError('invalidValue'));
    assert.throws(() => onUser([{ op: 'replace', path: 'userName', value: '' }]), scimError('invalidValue'));
  });

  test('member filter other than value eq is evaluated over the current members', () => {
    const members = [
      { value: 'u1', type: 'User' },
      { value: 'g9', type: 'Group' },
    ];
    const r = onGroup([{ op: 'remove', path: 'members[type eq "Group"]' }], { loadMembers: () => members });
    assert.deepEqual(r.members, delta({ remove: ['g9'] }));
  });

  test('add then remove the same member in one request leaves it out', () => {
    const r = onGroup([
      { op: 'add', path: 'members', value: [{ value: ID }] },
      { op: 'remove', path: `members[value eq "${ID}"]` },
    ]);
    assert.deepEqual(r.members, delta({ remove: [ID] }));
  });

  test('add with a value filter and no sub-attribute merges into the matching value', () => {
    const r = onUser([{ op: 'add', path: 'emails[type eq "home"]', value: { display: 'Home' } }]);
    assert.deepEqual((r.resource.emails as Json[])[1], { value: 'babs@jensen.org', type: 'home', display: 'Home' });
  });

  test('remove a sub-attribute of the matching values', () => {
    const r = onUser([{ op: 'remove', path: 'emails[type eq "work"].primary' }]);
    assert.deepEqual((r.resource.emails as Json[])[0], { value: 'bjensen@example.com', type: 'work' });
  });

  test('replace with null clears a single-valued attribute', () => {
    assert.equal(onUser([{ op: 'replace', path: 'title', value: null }]).resource.title, undefined);
  });
});

describe('PATCH: errors', () => {
  const bad: [string, unknown, string][] = [
    ['body is not an object', [], 'invalidSyntax'],
    ['schemas missing', { Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['schemas without the PatchOp URN', { schemas: ['urn:x'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['Operations missing', { schemas: [PATCH_OP_SCHEMA] }, 'invalidSyntax'],
    ['Operations empty', body(), 'invalidSyntax'],
    ['Operations not an array', { schemas: [PATCH_OP_SCHEMA], Operations: {} }, 'invalidSyntax'],
    ['op unknown', body({ op: 'copy', path: 'title', value: 'x' }), 'invalidSyntax'],
    ['op missing', body({ path: 'title', value: 'x' }), 'invalidSyntax'],
    ['operation not an object', body('add' as unknown as Json), 'invalidSyntax'],
    ['path not a string', body({ op: 'add', path: 5, value: 'x' }), 'invalidSyntax'],
    ['add without value', body({ op: 'add', path: 'title' }), 'invalidSyntax'],
    ['no-path add with a scalar', body({ op: 'add', value: 'x' }), 'invalidValue'],
    ['unknown attribute path', body({ op: 'replace', path: 'favouriteColour', value: 'x' }), 'invalidPath'],
    ['unknown sub-attribute', body({ op: 'replace', path: 'name.nick', value: 'x' }), 'invalidPath'],
    ['three-part path', body({ op: 'replace', path: 'name.givenName.x', value: 'x' }), 'invalidPath'],
    ['unclosed filter', body({ op: 'replace', path: 'emails[type eq "work"', value: 'x' }), 'invalidPath'],
    ['bad filter inside a path', body({ op: 'replace', path: 'emails[type zz "work"]', value: 'x' }), 'invalidPath'],
    ['filter on a simple attribute', body({ op: 'replace', path: 'title[value eq "x"]', value: 'x' }), 'invalidPath'],
    ['junk after the filter', body({ op: 'replace', path: 'emails[type eq "work"]value', value: 'x' }), 'invalidPath'],
    ['wrong type: string for boolean', body({ op: 'replace', path: 'active', value: 'yes' }), 'invalidValue'],
    ['wrong type: number for string', body({ op: 'replace', path: 'userName', value: 5 }), 'invalidValue'],
    ['wrong type: array for single-valued', body({ op: 'replace', path: 'title', value: ['a'] }), 'invalidValue'],
    ['wrong type: scalar for complex', body({ op: 'replace', path: 'name', value: 'Ann' }), 'invalidValue'],
    ['member without value', body({ op: 'add', path: 'members', value: [{ display: 'x' }] }), 'invalidValue'],
    ['changing the readOnly id', body({ op: 'replace', path: 'id', value: 'u2' }), 'mutability'],
    ['removing the readOnly id', body({ op: 'remove', path: 'id' }), 'mutability'],
  ];
  for (const [title, input, code] of bad) {
    test(`${title} → 400 ${code}`, () => {
      const kind = JSON.stringify(input).includes('members') ? 'Group' : 'User';
      assert.throws(() => applyPatch(kind === 'Group' ? group() : user(), input, { kind }), scimError(code));
    });
  }
});
