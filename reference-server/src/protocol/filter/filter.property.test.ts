import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ScimError } from '../../errors.ts';
import type { AttrPath } from '../attributes.ts';
import type { CompareOp, FilterNode, Literal } from './ast.ts';
import { formatFilter } from './format.ts';
import { matchesFilter, parseFilter } from './index.ts';
import { TestDb } from './test-db.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const STRINGS = ['a', 'A', 'ab', 'aB', 'b', 'ba', 'x@y.test', 'X@Y.TEST', '', 'é', 'É', "o'k"];
const DATES = ['2020-01-01T00:00:00.000Z', '2020-06-01T12:00:00.000Z', '2021-01-01T00:00:00.000Z'];

const str = fc.constantFrom(...STRINGS);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const email = fc.record({ value: maybe(str), type: maybe(fc.constantFrom('work', 'home', 'Work')), primary: maybe(fc.boolean()) }, { requiredKeys: [] });

const userArb = fc.record({
  userName: str,
  displayName: maybe(str),
  title: maybe(str),
  externalId: maybe(str),
  active: maybe(fc.boolean()),
  name: maybe(fc.record({ givenName: maybe(str), familyName: maybe(str) }, { requiredKeys: [] })),
  emails: maybe(fc.array(email, { maxLength: 3 })),
  lastModified: fc.constantFrom(...DATES),
  ent: maybe(fc.record({ department: maybe(str), manager: maybe(fc.record({ value: str })) }, { requiredKeys: [] })),
});

type Gen = fc.Arbitrary<FilterNode>;

const p = (attr: string, sub?: string, schema?: string): AttrPath => ({ attr, ...(sub ? { sub } : {}), ...(schema ? { schema } : {}) });
const stringPaths = [
  p('userName'),
  p('displayName'),
  p('title'),
  p('externalId'),
  p('name', 'givenName'),
  p('emails', 'value'),
  p('emails'),
  p('emails', 'type'),
  p('department', undefined, ENT),
  p('manager', 'value', ENT),
  p('USERNAME'),
  p('nickName'),
];
const stringOps: CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

const literalFor = (values: fc.Arbitrary<Literal>) => fc.oneof({ weight: 10, arbitrary: values }, { weight: 1, arbitrary: fc.constant(null) });

const compareString: Gen = fc
  .tuple(fc.constantFrom(...stringPaths), fc.constantFrom(...stringOps), literalFor(str))
  .filter(([, op, v]) => v !== null || op === 'eq' || op === 'ne')
  .map(([path, op, value]) => ({ kind: 'compare', path, op, value }));
const compareBool: Gen = fc
  .tuple(fc.constantFrom<CompareOp>('eq', 'ne'), fc.boolean())
  .map(([op, value]) => ({ kind: 'compare', path: p('active'), op, value }));
const compareDate: Gen = fc
  .tuple(fc.constantFrom<CompareOp>('eq', 'ne', 'gt', 'ge', 'lt', 'le'), fc.constantFrom(...DATES, '2020-06-01T12:00:00Z'))
  .map(([op, value]) => ({ kind: 'compare', path: p('meta', 'lastModified'), op, value }));
const present: Gen = fc
  .constantFrom(...stringPaths, p('active'), p('name'), p('emails'), p('manager', undefined, ENT))
  .map((path) => ({ kind: 'present', path }));
const innerLeaf: Gen = fc.oneof(
  fc
    .tuple(fc.constantFrom(p('type'), p('value')), fc.constantFrom(...stringOps), str)
    .map(([path, op, value]) => ({ kind: 'compare', path, op, value }) as FilterNode),
  fc.tuple(fc.constantFrom<CompareOp>('eq', 'ne'), fc.boolean()).map(([op, value]) => ({ kind: 'compare', path: p('primary'), op, value }) as FilterNode),
  fc.constantFrom(p('type'), p('primary')).map((path) => ({ kind: 'present', path }) as FilterNode),
);
const valuePath: Gen = fc
  .tuple(innerLeaf, maybe(innerLeaf))
  .map(([a, b]) => ({ kind: 'valuePath', path: p('emails'), filter: b ? { kind: 'and', operands: [a, b] } : a }));

const { filter: filterArb } = fc.letrec<{ filter: FilterNode }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    compareString,
    compareBool,
    compareDate,
    present,
    valuePath,
    fc.tuple(tie('filter'), tie('filter')).map(([a, b]) => ({ kind: 'and', operands: [a, b] }) as FilterNode),
    fc.tuple(tie('filter'), tie('filter')).map(([a, b]) => ({ kind: 'or', operands: [a, b] }) as FilterNode),
    tie('filter').map((operand) => ({ kind: 'not', operand }) as FilterNode),
  ),
}));

function toResource(u: Record<string, unknown>, i: number): Record<string, unknown> {
  const { lastModified, ent, ...rest } = u as Record<string, unknown> & { lastModified: string; ent?: Record<string, unknown> };
  const res: Record<string, unknown> = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ...(ent ? [ENT] : [])],
    id: `u${i}`,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    meta: { resourceType: 'User', created: DATES[0], lastModified, version: 'W/"1"' },
  };
  if (ent) res[ENT] = ent;
  return JSON.parse(JSON.stringify(res)) as Record<string, unknown>;
}

test('filterToSql selects exactly what matchesFilter accepts (fast-check, real SQLite)', () => {
  fc.assert(
    fc.property(fc.array(userArb, { minLength: 1, maxLength: 8 }), fc.array(filterArb, { minLength: 1, maxLength: 5 }), (users, filters) => {
      const db = new TestDb();
      try {
        const resources = users.map((u, i) => toResource(u, i));
        resources.forEach((r) => db.insertUser(r));
        for (const f of filters) {
          const node = parseFilter(formatFilter(f));
          let expected: string[] | ScimError;
          try {
            expected = resources
              .filter((r) => matchesFilter(node, r))
              .map((r) => String(r.id))
              .sort();
          } catch (e) {
            if (!(e instanceof ScimError)) throw e;
            expected = e;
          }
          if (expected instanceof ScimError) {
            assert.throws(
              () => db.select('users', node),
              (e: unknown) => e instanceof ScimError && e.scimType === expected.scimType,
              formatFilter(f),
            );
          } else {
            assert.deepEqual(db.select('users', node), expected, formatFilter(f));
          }
        }
      } finally {
        db.close();
      }
    }),
    { numRuns: 300 },
  );
});

test('formatFilter and parseFilter round-trip', () => {
  fc.assert(
    fc.property(filterArb, (f) => {
      const once = parseFilter(formatFilter(f));
      assert.deepEqual(parseFilter(formatFilter(once)), once);
    }),
    { numRuns: 300 },
  );
});

const FILTER_CHARS = [...'abc ()[]."\\:-eqandornotpr0129'];

test('arbitrary text either parses or fails with invalidFilter, never anything else', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.array(fc.constantFrom(...FILTER_CHARS), { maxLength: 60 }).map((a) => a.join('')),
      ),
      (text) => {
        try {
          parseFilter(text);
        } catch (e) {
          assert.ok(e instanceof ScimError && e.scimType === 'invalidFilter', String(e));
        }
      },
    ),
    { numRuns: 2000 },
  );
});

/** Each 100 KB adversarial input must be answered (parsed or refused) in well under a second. */
const ADVERSARIAL: [string, string][] = [
  ['deep parentheses', `${'('.repeat(50_000)}userName eq "a"${')'.repeat(50_000)}`],
  ['deep not', `${'not ('.repeat(20_000)}userName pr${')'.repeat(20_000)}`],
  ['long and-chain', Array.from({ length: 7_000 }, () => 'title pr').join(' and ')],
  ['one huge string literal', `userName eq "${'a'.repeat(100_000)}"`],
  ['unterminated string full of escapes', `userName eq "${'\\"'.repeat(50_000)}`],
  ['huge attribute name', `${'a'.repeat(100_000)} eq "x"`],
  ['many brackets', `emails[${'['.repeat(100_000)}`],
  ['repeated valid prefixes', 'userName eq "a" or '.repeat(5_000)],
  ['many numbers', Array.from({ length: 20_000 }, (_, i) => String(i)).join(' ')],
];

for (const [title, text] of ADVERSARIAL) {
  test(`linear-time parser: 100 KB adversarial input (${title}) parses or fails fast`, () => {
    assert.ok(text.length >= 50_000, `input is ${text.length} chars`);
    const t0 = performance.now();
    try {
      parseFilter(text);
    } catch (e) {
      assert.ok(e instanceof ScimError && e.scimType === 'invalidFilter', String(e));
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 500, `took ${ms.toFixed(1)} ms`);
  });
}

test('parse time grows linearly with input size', () => {
  const time = (n: number) => {
    const text = Array.from({ length: n }, (_, i) => `(emails[type eq "w${i}" and value co "x"] or userName sw "a")`).join(' and ');
    const t0 = performance.now();
    for (let k = 0; k < 5; k++) {
      try {
        parseFilter(text);
      } catch {
        // too many terms: refused after the same linear scan
      }
    }
    return performance.now() - t0;
  };
  time(50);
  const small = time(60);
  const large = time(600);
  assert.ok(large < small * 40, `10x input took ${(large / small).toFixed(1)}x as long`);
});

const memberArb = fc.record({ value: fc.constantFrom('m1', 'm2', 'M1', 'm3'), type: fc.constantFrom('User', 'Group') });
const groupArb = fc.record({ displayName: str, externalId: maybe(str), members: fc.uniqueArray(memberArb, { maxLength: 3, selector: (m) => m.value }) });
const groupLeaf: Gen = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(p('displayName'), p('externalId'), p('members', 'value'), p('members'), p('members', 'type')),
      fc.constantFrom(...stringOps),
      fc.constantFrom('m1', 'M1', 'User', 'group', ...STRINGS),
    )
    .filter(([path, op]) => !(path.attr === 'members' && !path.sub && ['gt', 'ge', 'lt', 'le'].includes(op)))
    .map(([path, op, value]) => ({ kind: 'compare', path, op, value }) as FilterNode),
  fc.constantFrom(p('members'), p('displayName'), p('externalId'), p('members', 'value')).map((path) => ({ kind: 'present', path }) as FilterNode),
  innerLeaf.filter((n) => n.kind === 'compare' && n.path.attr !== 'primary').map((n) => ({ kind: 'valuePath', path: p('members'), filter: n }) as FilterNode),
);
const { g: groupFilterArb } = fc.letrec<{ g: FilterNode }>((tie) => ({
  g: fc.oneof(
    { depthSize: 'small' },
    groupLeaf,
    fc.tuple(tie('g'), tie('g')).map(([a, b]) => ({ kind: 'or', operands: [a, b] }) as FilterNode),
    tie('g').map((operand) => ({ kind: 'not', operand }) as FilterNode),
  ),
}));

test('Groups: members filters through group_members agree with matchesFilter (fast-check)', () => {
  fc.assert(
    fc.property(fc.array(groupArb, { minLength: 1, maxLength: 6 }), fc.array(groupFilterArb, { minLength: 1, maxLength: 4 }), (groups, filters) => {
      const db = new TestDb();
      try {
        const resources = groups.map(
          (g, i) => JSON.parse(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: `g${i}`, ...g })) as Record<string, unknown>,
        );
        resources.forEach((g) => db.insertGroup(g));
        for (const f of filters) {
          const node = parseFilter(formatFilter(f));
          const expected = resources
            .filter((r) => matchesFilter(node, r))
            .map((r) => String(r.id))
            .sort();
          assert.deepEqual(db.select('groups', node), expected, formatFilter(f));
        }
      } finally {
        db.close();
      }
    }),
    { numRuns: 300 },
  );
});
