import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CATALOG,
  citations as sourceCitations,
  PROFILE_PREFIX,
  type Profile,
  REQUIREMENT_ID,
  type Requirement,
  requirementSchema,
  type Severity,
} from './index.ts';

const SPECS = new URL('..', import.meta.url).pathname;
const CITED = new RegExp(`['"\`]((?:${Object.values(PROFILE_PREFIX).join('|')})-[A-Z0-9]+(?:-[A-Z0-9]+)+)['"\`]`, 'g');

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'catalog' ? [] : specFiles(path);
    return e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every requirement id quoted in a spec file, with the files quoting it. */
function citations(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of specFiles(SPECS)) {
    for (const m of readFileSync(file, 'utf8').matchAll(CITED)) out.set(m[1]!, [...(out.get(m[1]!) ?? []), file]);
  }
  return out;
}

test('every entry parses and follows the id grammar', () => {
  for (const r of CATALOG) {
    assert.ok(REQUIREMENT_ID.test(r.id), r.id);
    assert.ok(requirementSchema.safeParse(r).success, r.id);
  }
});

test('ids are unique', () => {
  const seen = new Set<string>();
  for (const r of CATALOG) {
    assert.ok(!seen.has(r.id), `duplicate id ${r.id}`);
    seen.add(r.id);
  }
});

test('the rfc and security profiles hold at least 120 requirements, each citing its source', () => {
  const core = CATALOG.filter((r) => r.profile === 'rfc' || r.profile === 'security');
  assert.ok(core.length >= 120, `only ${core.length}`);
  for (const r of core) assert.match(r.source, /RFC \d{4}/, r.id);
});

test('every requirement is cited by at least one spec', () => {
  const cited = citations();
  const uncited = CATALOG.filter((r) => !cited.has(r.id)).map((r) => r.id);
  assert.deepEqual(uncited, []);
});

test('every id a spec cites exists in the catalog', () => {
  const known = new Set(CATALOG.map((r) => r.id));
  const unknown = [...citations()].filter(([id]) => !known.has(id)).map(([id, files]) => `${id} (${files.join(', ')})`);
  assert.deepEqual(unknown, []);
});

test('the schema refuses a malformed entry', () => {
  assert.equal(
    requirementSchema.safeParse({ id: 'rfc-lower', title: 'x'.repeat(12), profile: 'rfc', kind: 'rfc', severity: 'MUST', source: 'RFC 7644' }).success,
    false,
  );
  assert.equal(
    requirementSchema.safeParse({ id: 'SEC-AUTH-X', title: 'x'.repeat(12), profile: 'rfc', kind: 'rfc', severity: 'MUST', source: 'RFC 7644' }).success,
    false,
  );
  assert.equal(
    requirementSchema.safeParse({ id: 'RFC-AUTH-X', title: 'x'.repeat(12), profile: 'rfc', kind: 'rfc', severity: 'MUST', source: 'RFC 7644' }).success,
    true,
  );
});

// --- quotes: every requirement carries the sentence it rests on, and its severity follows that sentence ---

const ROOT = new URL('..', import.meta.url).pathname;

/**
 * Profiles whose entries have been given their quotes and followable sources; add a profile here once its module
 * is done. The quote and source tests cover exactly these (severity and RFC-text checks cover every quoted entry).
 */
const QUOTED_PROFILES: readonly Profile[] = ['rfc', 'security', 'okta', 'entra', 'sailpoint', 'lifecycle'];

/**
 * MUSTs whose vendor sentence has no keyword but says the IdP's operation fails otherwise (the sentence is the quote):
 * Okta stops the provisioning job on an error answer to create; Entra's Test Connection sends this query and fails.
 */
const FAILS_THE_IDP_OTHERWISE = new Set(['OKTA-ASSIGN-CREATE', 'ENTRA-EMPTY-FILTER-200']);
const quotedProfiles = (): Requirement[] => CATALOG.filter((r) => QUOTED_PROFILES.includes(r.profile));

/** RFC 2119 keyword classes, as written in RFCs (upper case) and as vendor pages write them (any case). */
const KEYWORDS: Record<Severity, { rfc: RegExp; vendor: RegExp }> = {
  MUST: { rfc: /\b(?:MUST|REQUIRED|SHALL)\b/, vendor: /\b(?:must|required|shall)\b/i },
  SHOULD: { rfc: /\b(?:SHOULD|RECOMMENDED)\b/, vendor: /\b(?:should|recommended)\b/i },
  MAY: { rfc: /\b(?:MAY|OPTIONAL)\b/, vendor: /\b(?:may|optional)\b/i },
};

const RFC_PART = /^RFC (\d{4})\b/;

/** The keyword classes a quote contains: RFC quotes count upper-case keywords only, product quotes state behaviour (MUST). */
function keywordClasses(r: Pick<Requirement, 'id' | 'kind' | 'source' | 'quote'>): Severity[] {
  // the product guide has no RFC 2119 words: what it says the product does is a MUST, what it only implies less
  if (r.kind === 'product' || r.source.startsWith('docs/product-guide.md')) return ['MUST', 'SHOULD', 'MAY'];
  if (FAILS_THE_IDP_OTHERWISE.has(r.id)) return ['MUST'];
  const form = RFC_PART.test(r.source) ? 'rfc' : 'vendor';
  return (['MUST', 'SHOULD', 'MAY'] as const).filter((s) => KEYWORDS[s][form].test(r.quote ?? ''));
}

/** Why a requirement's severity does not follow its quote, or undefined when it does. */
function severityProblem(r: Pick<Requirement, 'id' | 'kind' | 'source' | 'quote' | 'severity'>): string | undefined {
  const classes = keywordClasses(r);
  if (classes.length === 0) return r.severity === 'MUST' ? 'MUST, but the quote has no keyword' : undefined;
  return classes.includes(r.severity) ? undefined : `${r.severity}, but the quote says ${classes.join('/')}`;
}

/** Why a source does not resolve: a part citations() cannot follow, or a docs/ file that does not exist. */
function sourceProblem(source: string): string | undefined {
  const parts = source.split('; ');
  const resolved = sourceCitations(source);
  for (const [i, c] of resolved.entries()) {
    if (c === undefined) return `"${parts[i]}" is no citation form`;
    if (c.url.startsWith('docs/') && !existsSync(join(ROOT, c.url))) return `${c.url} does not exist`;
  }
  return undefined;
}

/** RFC text as running prose: no page furniture, no table borders, one space between words. */
function normaliseRfc(text: string): string {
  return text
    .replaceAll('\f', '')
    .split('\n')
    .filter((line) => !/\[Page \d+\]\s*$/.test(line) && !/^RFC \d{4} {2,}.* {2,}\w+ \d{4}\s*$/.test(line))
    .filter((line) => !/^\s*\+[-+=]+\+\s*$/.test(line))
    .join('\n')
    .replace(/([A-Za-z])-\n\s*/g, '$1-')
    .replaceAll('|', ' ')
    .replace(/\s+/g, ' ');
}

/** Whether every "..."-separated piece of the quote occurs in the text, in order. */
function quoteOccurs(quote: string, normalisedText: string): boolean {
  let from = 0;
  for (const piece of quote
    .split(/\.\.\.|…/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)) {
    const at = normalisedText.indexOf(piece, from);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

const rfcTexts = new Map<string, string | undefined>();
function storedRfc(number: string): string | undefined {
  if (!rfcTexts.has(number)) {
    const file = join(ROOT, 'docs', 'rfc', `rfc${number}.txt`);
    rfcTexts.set(number, existsSync(file) ? normaliseRfc(readFileSync(file, 'utf8')) : undefined);
  }
  return rfcTexts.get(number);
}

/** Why an RFC-cited quote is not the RFC's text: checked against the first citation's stored RFC, when stored. */
function quoteProblem(r: Pick<Requirement, 'source' | 'quote'>): string | undefined {
  const rfc = RFC_PART.exec(r.source);
  if (!rfc || r.quote === undefined) return undefined;
  const text = storedRfc(rfc[1]!);
  if (text === undefined) return undefined;
  return quoteOccurs(r.quote, text) ? undefined : `quote not found in docs/rfc/rfc${rfc[1]}.txt`;
}

const PRODUCT_GUIDE = readFileSync(join(ROOT, 'docs', 'product-guide.md'), 'utf8').replace(/\s+/g, ' ');

/** Why a quote citing the product guide first is not the guide's text. */
function productQuoteProblem(r: Pick<Requirement, 'source' | 'quote'>): string | undefined {
  if (!r.source.startsWith('docs/product-guide.md') || r.quote === undefined) return undefined;
  return quoteOccurs(r.quote, PRODUCT_GUIDE) ? undefined : 'quote not found in docs/product-guide.md';
}

function problems(check: (r: Requirement) => string | undefined, of: readonly Requirement[] = CATALOG): string[] {
  return of.flatMap((r) => {
    const p = check(r);
    return p === undefined ? [] : [`${r.id}: ${p}`];
  });
}

test(`every requirement of the quoted profiles (${QUOTED_PROFILES.join(', ')}) carries its quote`, () => {
  const quoted = quotedProfiles();
  assert.ok(quoted.length > 0);
  assert.deepEqual(
    problems((r) => (r.quote === undefined ? 'no quote' : undefined), quoted),
    [],
  );
});

test('severity follows the keyword class of the quote', () => {
  assert.deepEqual(
    problems((r) => (r.quote === undefined ? undefined : severityProblem(r))),
    [],
  );
});

test('every source part of every requirement resolves with citations(), and every docs/ citation names a file that exists', () => {
  assert.deepEqual(
    problems((r) => sourceProblem(r.source)),
    [],
  );
});

test('an RFC-cited quote appears in the stored RFC text', () => {
  assert.deepEqual(problems(quoteProblem), []);
});

test('the quote checks refuse what they should', () => {
  const rfc = { id: 'RFC-X-Y', kind: 'rfc' as const, source: 'RFC 7644 §3.3' };
  assert.equal(severityProblem({ ...rfc, severity: 'MUST', quote: 'The response body SHOULD contain the resource.' }), 'MUST, but the quote says SHOULD');
  assert.equal(severityProblem({ ...rfc, severity: 'MUST', quote: 'the value must be identical for a match' }), 'MUST, but the quote has no keyword');
  assert.equal(severityProblem({ ...rfc, severity: 'SHOULD', quote: 'a 201 SHALL be returned; the body SHOULD hold it' }), undefined);
  assert.equal(
    severityProblem({
      id: 'OKTA-X-Y',
      kind: 'idp-compat',
      source: 'Okta: SCIM <https://developer.okta.com/>',
      severity: 'MUST',
      quote: 'Your app must return 201.',
    }),
    undefined,
  );
  assert.equal(severityProblem({ id: 'LC-X-Y', kind: 'product', source: 'docs/guide.md', severity: 'MUST', quote: 'The token is shown once.' }), undefined);
  assert.match(sourceProblem('RFC 7644 §3.3; seed "Revoke"') ?? '', /no citation form/);
  assert.match(sourceProblem('docs/no-such-file.md §1') ?? '', /does not exist/);
  const text = normaliseRfc(
    '   | eq       | equal       | The attribute and operator values must   |\n   |          |             | be identical for a match.                |\n   +----+\n   sub-\n   attributes',
  );
  assert.ok(quoteOccurs('The attribute and operator values must be identical for a match. ... sub-attributes', text));
  assert.ok(!quoteOccurs('sub-attributes ... The attribute', text));
  assert.match(quoteProblem({ source: 'RFC 7644 §3.3', quote: 'The server MUST do what this test says.' }) ?? '', /not found/);
});

test("a quote citing the product guide first is the guide's own text", () => {
  assert.deepEqual(problems(productQuoteProblem), []);
});
