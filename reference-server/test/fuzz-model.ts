/**
 * Structure-aware fuzzing of the SCIM service through app.inject(): generators for hostile resources, filters and
 * PATCH paths from the RFC 7644 grammar, Bulk requests with bulkId cycles, odd headers and content types, and path
 * tricks; and `runCase`, which sends one and judges it against the properties: never a 5xx (but /Me's 501), every
 * error a SCIM Error in application/scim+json, a rejected request changes nothing, an accepted write round-trips.
 * Used by test/fuzz.test.ts (fixed seed, few cases) and bench/reliability.ts (many).
 */
import fc from 'fast-check';
import { ENTERPRISE_URN, GROUP_URN, PATCH_URN, USER_URN, type Harness, type Res } from '../src/scim/testing.ts';

export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
const BULK_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SEARCH_URN = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** One request: `path` relative to the account's base unless it starts with `/`; `body` a string is sent as is. */
export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

// ---- values ------------------------------------------------------------------------------------------------

const unicodeEdge = fc.constantFrom(
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u202E',
  'e\u0301',
  '😀',
  '\u{10FFFF}',
  '\r\n',
  '\t',
  'İ',
  'ß',
  'ǅ',
  '\\',
  '"',
  "'",
  '%00',
  '${x}',
  '<script>',
);
const hugeString = fc.oneof(
  fc.integer({ min: 250, max: 3000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('a'.repeat(256), 'a'.repeat(257), 'b'.repeat(2048), 'b'.repeat(2049), 'c'.repeat(200_000)),
);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.array(unicodeEdge, { minLength: 1, maxLength: 4 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: hugeString },
);
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  'urn:',
  `${USER_URN}:`,
  'a.b',
  'emails[type eq "work"]',
);
const attrName = fc.constantFrom(
  'userName',
  'USERNAME',
  'displayName',
  'name',
  'emails',
  'phoneNumbers',
  'active',
  'title',
  'nickName',
  'externalId',
  'password',
  'groups',
  'members',
  'id',
  'meta',
  'schemas',
  'x509Certificates',
  'addresses',
  'roles',
  'profileUrl',
  'timezone',
  ENTERPRISE_URN,
  `${ENTERPRISE_URN}:manager`,
  'value',
  'primary',
  'type',
);
const key = fc.oneof({ weight: 5, arbitrary: attrName }, { weight: 1, arbitrary: hostileKey }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });

/** Nested arrays or objects `levels` deep, as raw JSON text (so the depth reaches the parser as sent). */
const deepJson = fc
  .tuple(fc.oneof(fc.integer({ min: 40, max: 100 }), fc.integer({ min: 100, max: 12_000 })), fc.boolean())
  .map(([levels, arrays]) => (arrays ? `${'['.repeat(levels)}${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`));

const leaf = fc.oneof(fc.constantFrom(null, true, false, 'true', 'FALSE', '', 0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2), text, fc.integer());
export const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
})).v;

const email = fc.record(
  { value: fc.oneof(fc.emailAddress(), text), type: fc.constantFrom('work', 'home', 'other', ''), primary: fc.boolean() },
  { requiredKeys: ['value'] },
);
/** Users that are mostly valid, with hostile parts mixed in. */
const userBody = fc
  .record(
    {
      schemas: fc.oneof(fc.constant([USER_URN]), fc.constant([USER_URN, ENTERPRISE_URN]), value),
      userName: fc.oneof({ weight: 4, arbitrary: fc.uuid().map((u) => `fuzz-${u}@x.test`) }, { weight: 2, arbitrary: text }, { weight: 1, arbitrary: value }),
      displayName: text,
      name: fc.record({ givenName: text, familyName: text, formatted: text }, { requiredKeys: [] }),
      emails: fc.oneof(fc.array(email, { maxLength: 3 }), value),
      active: fc.oneof(fc.boolean(), value),
      title: text,
      password: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), value),
      [ENTERPRISE_URN]: fc.oneof(fc.record({ department: text, manager: fc.oneof(fc.string(), value) }, { requiredKeys: [] }), value),
      extra: fc.dictionary(key, value, { maxKeys: 3 }),
    },
    { requiredKeys: ['schemas', 'userName'] },
  )
  .map(({ extra, ...u }) => ({ ...extra, ...u }));
/** Valid users with edge-case but legal values (unicode, limits): these must be accepted and read back as answered. */
const shortText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.array(unicodeEdge, { minLength: 1, maxLength: 3 }).map((a) => a.join('')),
  fc.constant('a'.repeat(256)),
);
const validUser = fc
  .record(
    {
      userName: fc.tuple(fc.uuid(), fc.string({ maxLength: 12 })).map(([u, s]) => `v-${u}-${s}`.slice(0, 256)),
      displayName: shortText,
      name: fc.record({ givenName: shortText, familyName: shortText }, { requiredKeys: [] }),
      emails: fc.array(fc.record({ value: fc.emailAddress(), type: fc.constantFrom('work', 'home') }), { maxLength: 3 }),
      active: fc.oneof(fc.boolean(), fc.constantFrom('true', 'False')),
      title: fc.string({ maxLength: 2048 }),
      [ENTERPRISE_URN]: fc.record({ department: shortText, employeeNumber: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['userName'] },
  )
  .map((u) => ({ schemas: u[ENTERPRISE_URN] ? [USER_URN, ENTERPRISE_URN] : [USER_URN], ...u }));
const validPatch = fc
  .array(
    fc.oneof(
      fc.record({
        op: fc.constantFrom('replace', 'add'),
        path: fc.constantFrom('title', 'displayName', 'nickName', 'name.givenName', `${ENTERPRISE_URN}:department`),
        value: shortText,
      }),
      fc.record({ op: fc.constant('replace'), path: fc.constant('active'), value: fc.boolean() }),
      fc.record({
        op: fc.constant('add'),
        path: fc.constant('emails'),
        value: fc.array(fc.record({ value: fc.emailAddress(), type: fc.constant('other') }), { minLength: 1, maxLength: 2 }),
      }),
      fc.record({ op: fc.constant('remove'), path: fc.constantFrom('title', 'nickName', 'emails[type eq "other"]') }),
      fc.record({ op: fc.constant('replace'), value: fc.record({ title: shortText, displayName: shortText }, { requiredKeys: [] }) }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((Operations) => ({ schemas: [PATCH_URN], Operations }));

const groupBody = fc.record(
  {
    schemas: fc.oneof(fc.constant([GROUP_URN]), value),
    displayName: fc.oneof(
      fc.uuid().map((u) => `G ${u}`),
      text,
      value,
    ),
    members: fc.oneof(fc.array(fc.record({ value: fc.oneof(fc.uuid(), text) }), { maxLength: 3 }), value),
  },
  { requiredKeys: ['schemas', 'displayName'] },
);
/** A body with `__proto__` / `constructor` written as JSON keys (JSON.stringify of an object cannot produce them). */
const protoBody = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.uuid())
  .map(([k, u]) => `{"schemas":["${USER_URN}"],"userName":"p-${u}@x.test","${k}":{"admin":true,"prototype":{"admin":true}}}`);

// ---- filters and PATCH paths (RFC 7644 §3.4.2.2, §3.5.2) ---------------------------------------------------------

const filterAttr = fc.constantFrom(
  'userName',
  'displayName',
  'name.givenName',
  'emails.value',
  'emails.type',
  'meta.lastModified',
  'active',
  'id',
  'externalId',
  'members.value',
  `${ENTERPRISE_URN}:department`,
  'title',
  'x',
  'emails.nope',
  'schemas',
);
const compareOp = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Sw');
const compValue = fc.oneof(
  fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '1', '-2.5', '"2026-01-01T00:00:00Z"', '"\\u0000"', '"a\\"b"'),
);
const filterExpr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  f: fc.oneof(
    { depthSize: 'small' },
    fc.tuple(filterAttr, compareOp, compValue).map(([a, o, v]) => `${a} ${o} ${v}`),
    filterAttr.map((a) => `${a} pr`),
    fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND'), tie('f')).map(([l, o, r]) => `${l} ${o} ${r}`),
    tie('f').map((f) => `not (${f})`),
    tie('f').map((f) => `(${f})`),
    fc.tuple(fc.constantFrom('emails', 'members', 'addresses'), tie('f')).map(([a, f]) => `${a}[${f}]`),
  ),
})).f as fc.Arbitrary<string>;
/** Grammar-made filters, broken ones (cut, spliced), and deep or long ones. */
export const filter = fc.oneof(
  { weight: 4, arbitrary: filterExpr },
  { weight: 2, arbitrary: fc.tuple(filterExpr, fc.nat(), fc.string({ maxLength: 3 })).map(([f, at, junk]) => f.slice(0, at % (f.length + 1)) + junk) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 3000 }).map((n) => `${'('.repeat(n)}userName pr${')'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => `userName eq "u${i}"`).join(' or ')) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 200 }).map((n) => `${'emails['.repeat(n)}type eq "w"${']'.repeat(n)}`) },
);
const patchPath = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'title',
      'displayName',
      'name.givenName',
      'emails',
      'active',
      'password',
      'meta',
      'meta.version',
      'schemas',
      'id',
      'members',
      'externalId',
      `${ENTERPRISE_URN}:department`,
      `${USER_URN}:userName`,
      'urn:x:y',
      '__proto__.admin',
      'constructor.prototype',
      '',
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('emails', 'members', 'phoneNumbers'), filterExpr, fc.constantFrom('', '.value', '.type', '.display', '.nope'))
      .map(([a, f, s]) => `${a}[${f}]${s}`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 5000 }).map((n) => `${'a.'.repeat(n)}b`) },
);
const patchOp = fc.record({ op: fc.constantFrom('add', 'replace', 'remove', 'Replace', 'merge', ''), path: patchPath, value }, { requiredKeys: ['op'] });
const patchBody = fc.oneof(
  { weight: 5, arbitrary: fc.array(patchOp, { minLength: 1, maxLength: 4 }).map((Operations) => ({ schemas: [PATCH_URN], Operations })) },
  { weight: 1, arbitrary: fc.record({ schemas: value, Operations: value }, { requiredKeys: [] }) },
);

// ---- Bulk ----------------------------------------------------------------------------------------------------

/** Operations that reference each other's bulkIds, cycles included; sometimes more than maxOperations (413). */
const bulkBody = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 60 }) }, { weight: 1, arbitrary: fc.constantFrom(1001, 5000) }),
    fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
    fc.boolean(),
    fc.uuid(),
  )
  .map(([n, refs, cyclic, u]) => ({
    schemas: [BULK_URN],
    ...(refs[0]! % 3 === 0 ? { failOnErrors: 1 + (refs[0]! % 5) } : {}),
    Operations: Array.from({ length: n }, (_, i) => {
      const target = cyclic ? (i + 1) % n : refs[i % refs.length]! % n;
      const r = refs[i % refs.length]!;
      if (r % 4 === 0)
        return {
          method: 'PATCH',
          path: `/Groups/bulkId:b${target}`,
          data: { schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value: `bulkId:b${target}` }] }] },
        };
      if (r % 4 === 1) return { method: 'DELETE', path: `/Users/bulkId:b${target}` };
      if (r % 4 === 2)
        return {
          method: 'POST',
          path: '/Users',
          bulkId: `b${i}`,
          data: { schemas: [USER_URN], userName: `bulk-${u}-${i}@x.test`, manager: `bulkId:b${target}` },
        };
      return {
        method: 'POST',
        path: '/Groups',
        bulkId: `b${i}`,
        data: { schemas: [GROUP_URN], displayName: `Bulk ${u} ${i}`, members: [{ value: `bulkId:b${target}` }] },
      };
    }),
  }));
const bulkJunk = fc.record(
  {
    schemas: fc.oneof(fc.constant([BULK_URN]), value),
    Operations: fc.oneof(
      fc.array(
        fc.record(
          {
            method: fc.oneof(fc.constantFrom('POST', 'GET', 'put', 'DELETE'), value),
            path: fc.oneof(fc.constantFrom('/Users', '/Groups/x', '/Users/bulkId:a', '../x'), value),
            bulkId: value,
            data: value,
          },
          { requiredKeys: [] },
        ),
        { maxLength: 5 },
      ),
      value,
    ),
  },
  { requiredKeys: [] },
);

// ---- headers, content types, paths ----------------------------------------------------------------------------

const contentType = fc.constantFrom(
  'application/scim+json',
  'application/json',
  'application/scim+json; charset=utf-8',
  'application/json; charset=UTF-16',
  'application/json;;;',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/scim+json; charset="utf-8"',
  '',
  'a'.repeat(2000),
  'application/*',
);
const oddHeaders = fc.record(
  {
    'content-type': contentType,
    accept: fc.constantFrom('application/xml', '*/*', 'text/html', 'application/scim+json;q=0', ''),
    'if-match': fc.constantFrom('W/"1"', '*', 'junk', ' , ', '"', 'W/'.repeat(500)),
    'if-none-match': fc.constantFrom('W/"1"', '*', 'junk'),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x'),
    'x-http-method-override': fc.constantFrom('DELETE', 'PUT'),
    authorization: fc.constantFrom('Bearer', 'Bearer  ', 'Basic Og==', 'bearer x', `Bearer ${'a'.repeat(4000)}`, 'Negotiate x'),
  },
  { requiredKeys: [] },
);
const pathTrick = fc.constantFrom(
  'Users/../Groups',
  '/scim/v2/../../etc/passwd',
  'Users/%2e%2e/Groups',
  'Users;jsessionid=x',
  'USERS',
  'users/',
  'Users//',
  'Users/%00',
  'Users/%E0%A4%A',
  'Users/ünïcode',
  'Users?filter',
  'Users?count=-1&startIndex=0',
  'Users?count=99999999999999999999',
  'Users?attributes=__proto__',
  'Users?sortBy=password',
  'Users?excludedAttributes=id,schemas,meta',
  'Groups?attributes=members.value',
  '.search',
  'Schemas/../ResourceTypes',
  'Me',
  'Me/x',
  'Bulk/',
  `Users/${'x'.repeat(1000)}`,
  '/scim/v2',
  '/scim/v2/',
  '/scim',
  '/scim/v1/Users',
  'Users?filter=userName%20eq%20%22a%22&filter=x',
  'ServiceProviderConfig?filter=x',
);

// ---- requests ------------------------------------------------------------------------------------------------

export interface FuzzIds {
  user: string;
  group: string;
}

/** Every kind of request, built against the ids of a seeded user and group. */
export function requestArb(ids: FuzzIds): fc.Arbitrary<FuzzRequest> {
  const target = fc.constantFrom(`Users/${ids.user}`, `Groups/${ids.group}`, 'Users/no-such-id');
  return fc.oneof(
    userBody.map((body): FuzzRequest => ({ kind: 'POST user', method: 'POST', path: 'Users', body })),
    validUser.map((body): FuzzRequest => ({ kind: 'POST valid user', method: 'POST', path: 'Users', body })),
    validPatch.map((body): FuzzRequest => ({ kind: 'PATCH valid', method: 'PATCH', path: `Users/${ids.user}`, body })),
    fc.tuple(validUser, fc.constant(`Users/${ids.user}`)).map(([body, path]): FuzzRequest => ({ kind: 'PUT valid', method: 'PUT', path, body })),
    groupBody.map((body): FuzzRequest => ({ kind: 'POST group', method: 'POST', path: 'Groups', body })),
    fc
      .tuple(userBody, fc.constantFrom(`Users/${ids.user}`, 'Users/no-such-id'))
      .map(([body, path]): FuzzRequest => ({ kind: 'PUT', method: 'PUT', path, body })),
    fc.tuple(patchBody, target).map(([body, path]): FuzzRequest => ({ kind: 'PATCH', method: 'PATCH', path, body })),
    protoBody.map((body): FuzzRequest => ({ kind: 'proto keys', method: 'POST', path: 'Users', body })),
    fc.tuple(deepJson, fc.constantFrom('Users', 'Bulk', `Users/${ids.user}`, '.search')).map(
      ([d, path]): FuzzRequest => ({
        kind: 'deep nesting',
        method: path.startsWith('Users/') ? 'PATCH' : 'POST',
        path,
        body: `{"schemas":["${BULK_URN}","${USER_URN}","${PATCH_URN}"],"Operations":[{"method":"DELETE","path":"/Users/${ids.user}","op":"add","value":${d},"data":${d}}],"userName":"deep@x.test","x":${d}}`,
      }),
    ),
    fc
      .tuple(
        fc.oneof(fc.integer({ min: 1000, max: 100_000 }), fc.constantFrom(200_000, 300_000, 450_000)),
        fc.constantFrom('Bulk', 'Users', `Users/${ids.user}`),
      )
      .map(
        ([n, path]): FuzzRequest => ({
          kind: 'wide array',
          method: path.startsWith('Users/') ? 'PATCH' : 'POST',
          path,
          // One array of n elements as `data` (Bulk), `value` (PATCH) and an ignored attribute (POST): under 1 MiB.
          body:
            path === 'Bulk'
              ? `{"schemas":["${BULK_URN}"],"Operations":[{"method":"DELETE","path":"/Users/no-such-user","data":[${Array(n).fill('0').join(',')}]}]}`
              : `{"schemas":["${USER_URN}","${PATCH_URN}"],"Operations":[{"op":"add","path":"emails","value":[${Array(n).fill('0').join(',')}]}],"userName":"wide@x.test","x":[${Array(Math.min(n, 1000)).fill('0').join(',')}]}`,
        }),
      ),
    fc.tuple(filter, fc.constantFrom('Users', 'Groups'), fc.string({ maxLength: 20 })).map(
      ([f, type, sortBy]): FuzzRequest => ({
        kind: 'filter',
        method: 'GET',
        path: `${type}?${new URLSearchParams({ filter: f, sortBy, count: '3' })}`,
      }),
    ),
    fc.tuple(filter, fc.constantFrom('.search', 'Users/.search', 'Groups/.search'), value).map(
      ([f, path, extra]): FuzzRequest => ({
        kind: 'search',
        method: 'POST',
        path,
        body: { schemas: [SEARCH_URN], filter: f, startIndex: extra, attributes: ['userName', typeof extra === 'string' ? extra : 'emails.value'] },
      }),
    ),
    bulkBody.map((body): FuzzRequest => ({ kind: 'bulk', method: 'POST', path: 'Bulk', body })),
    bulkJunk.map((body): FuzzRequest => ({ kind: 'bulk junk', method: 'POST', path: 'Bulk', body })),
    fc
      .tuple(
        oddHeaders,
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        target,
        fc.option(fc.constantFrom('{"userName":"h@x.test"}', '', '{', 'null', 'a=b')),
      )
      .map(([headers, method, path, body]): FuzzRequest => ({ kind: 'odd headers', method, path, headers, ...(body === null ? {} : { body }) })),
    fc.tuple(pathTrick, fc.constantFrom('GET', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PUT')).map(
      ([path, method]): FuzzRequest => ({
        kind: 'path trick',
        method,
        path,
        ...(method === 'POST' || method === 'PUT' ? { body: { schemas: [USER_URN], userName: 'trick@x.test' } } : {}),
      }),
    ),
  );
}

// ---- judging -------------------------------------------------------------------------------------------------

export interface Verdict {
  status: number;
  /** A 5xx other than /Me's 501. */
  serverError: boolean;
  /** A 4xx/5xx whose body is not a SCIM Error in application/scim+json (HEAD answers have no body). */
  nonScimError: boolean;
  /** The request was refused but the account's data changed. */
  changedOnReject: boolean;
  /** An accepted write whose resource does not read back as answered. */
  roundTripFailed: boolean;
  detail: string;
}

/** The account's resources as rows: what a rejected request must leave alone. */
export function snapshot(h: Harness): string {
  const rows = ['users', 'groups', 'group_members'].map((t) => h.app.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());
  return JSON.stringify(rows);
}

/** Where the request lands once `..` segments are resolved (as any HTTP client resolves them): SCIM or not. */
function isScimUrl(h: Harness, path: string): boolean {
  return new URL(path.startsWith('/') ? path : `${h.base}/${path}`, 'http://x').pathname.startsWith('/scim');
}

const isMe = (path: string) => /(^|\/)Me(\/|$|\?)/.test(path);

function isScimError(res: Res, status: number): boolean {
  return (
    /^application\/scim\+json/.test(String(res.headers['content-type'])) &&
    Array.isArray(res.body?.schemas) &&
    res.body.schemas[0] === ERROR_URN &&
    res.body.status === String(status)
  );
}

/** Sends one request and judges it; accepted creations are removed again, so the data stays small. */
export async function runCase(h: Harness, req: FuzzRequest): Promise<Verdict> {
  const before = snapshot(h);
  const res = await h.req(req.method, req.path, req.body, req.headers);
  const status = res.status;
  const verdict: Verdict = {
    status,
    serverError: status >= 500 && !(status === 501 && isMe(req.path)),
    nonScimError: status >= 400 && req.method !== 'HEAD' && isScimUrl(h, req.path) && !isScimError(res, status),
    changedOnReject: false,
    roundTripFailed: false,
    detail: `${req.kind}: ${req.method} ${req.path.slice(0, 120)} -> ${status} ${res.raw.slice(0, 200)}`,
  };
  if (status >= 400) {
    verdict.changedOnReject = snapshot(h) !== before;
    return verdict;
  }
  const written =
    res.body && typeof res.body.id === 'string' && (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') && req.kind !== 'search';
  if (written) {
    const type = /(^|\/)Groups/i.test(req.path) || res.body.meta?.resourceType === 'Group' ? 'Groups' : 'Users';
    // Read back with the same ?attributes= / ?excludedAttributes= the write was answered with.
    const query = req.path.includes('?') ? req.path.slice(req.path.indexOf('?')) : '';
    const read = await h.req('GET', `${type}/${res.body.id}${query}`);
    if (read.status !== 200 || JSON.stringify(read.body) !== JSON.stringify(res.body)) {
      verdict.roundTripFailed = true;
      verdict.detail += ` | read back ${read.status} ${read.raw.slice(0, 200)}`;
    }
    if (req.method === 'POST' && status === 201) await h.req('DELETE', `${type}/${res.body.id}`);
  }
  if (req.kind === 'bulk') await removeAllBut(h);
  restoreSeed(h);
  return verdict;
}

let seeded: FuzzIds | undefined;
let keep = new Set<string>();
let restored = 0;
/** The seeded resources survive every case; whatever a Bulk request made is removed. */
export function keepOnly(ids: FuzzIds): void {
  seeded = ids;
  keep = new Set([ids.user, ids.group]);
}
/** An accepted DELETE of a seeded resource: put it back under the same id, so later cases still have a target. */
function restoreSeed(h: Harness): void {
  if (!seeded) return;
  const { users, groups } = h.app.store;
  if (!users.get(h.accountId, seeded.user)) users.insert(h.accountId, seeded.user, { userName: `seed-${++restored}@x.test` });
  if (!groups.get(h.accountId, seeded.group)) groups.insert(h.accountId, seeded.group, { displayName: 'Seed' }, [{ id: seeded.user, type: 'User' }]);
}
async function removeAllBut(h: Harness): Promise<void> {
  for (const t of ['groups', 'users']) {
    const rows = h.app.db.prepare(`SELECT id FROM ${t} WHERE account_id = ?`).all(h.accountId) as { id: string }[];
    for (const { id } of rows) if (!keep.has(id)) await h.req('DELETE', `${t === 'users' ? 'Users' : 'Groups'}/${id}`);
  }
}

/** Seeds one user in one group, the targets of PUT, PATCH and odd-header requests. */
export async function seed(h: Harness): Promise<FuzzIds> {
  const user = (await h.req('POST', 'Users', { schemas: [USER_URN], userName: 'seed@x.test', emails: [{ value: 'seed@x.test', type: 'work' }] })).body
    .id as string;
  const group = (await h.req('POST', 'Groups', { schemas: [GROUP_URN], displayName: 'Seed', members: [{ value: user }] })).body.id as string;
  const ids = { user, group };
  keepOnly(ids);
  return ids;
}
