import { createHash } from 'node:crypto';
import { z } from 'zod';
import { citations, type Requirement } from '../../catalog/index.ts';
import type { RecordedVerdict, TestOutcome } from '../../harness/reporting/results.ts';
import { canonicalJson } from './canonical.ts';
import { signBytes, type SigningKey } from './signing.ts';
import type { Waiver } from './waivers.ts';

/** certificate.json, schemaVersion 1 (docs/contracts.md). */
export const requirementResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  profile: z.string(),
  kind: z.string(),
  severity: z.enum(['MUST', 'SHOULD', 'MAY']),
  source: z.string(),
  /** The sentence of the source the requirement rests on, and where to read it. */
  quote: z.string().optional(),
  links: z.array(z.object({ label: z.string(), url: z.string() })).optional(),
  status: z.enum(['passed', 'failed', 'not_assessed', 'waived']),
  reason: z.string().optional(),
  evidence: z.array(z.object({ message: z.string(), request: z.unknown().optional(), response: z.unknown().optional(), by: z.string().optional() })),
});
export type RequirementResult = z.infer<typeof requirementResultSchema>;

export const summarySchema = z.object({
  passed: z.number().int(),
  failed: z.number().int(),
  notAssessed: z.number().int(),
  waived: z.number().int(),
  mustFailed: z.number().int(),
});
export type Summary = z.infer<typeof summarySchema>;

export const certificateSchema = z.object({
  schemaVersion: z.literal(1),
  suite: z.object({ name: z.literal('scimulator'), version: z.string() }),
  target: z.object({ scimUrl: z.string(), serviceProviderConfig: z.unknown() }),
  config: z.looseObject({
    profiles: z.array(z.string()),
    only: z.array(z.string()),
    waivers: z.array(z.object({ id: z.string(), reason: z.string() })),
    hash: z.string(),
  }),
  startedAt: z.string(),
  durationMs: z.number(),
  summary: summarySchema,
  requirements: z.array(requirementResultSchema),
  signature: z.object({ alg: z.literal('Ed25519'), publicKey: z.string(), value: z.string() }),
});
export type Certificate = z.infer<typeof certificateSchema>;
export type UnsignedCertificate = Omit<Certificate, 'signature'>;

export interface RunConfig {
  profiles: string[];
  only: string[];
  waivers: Waiver[];
  readOnly: boolean;
  seed: number;
}

/** sha256 over the normalised config, so two certificates of the same selection compare equal. */
export function configHash(config: RunConfig): string {
  const normal = {
    profiles: [...config.profiles].sort(),
    only: [...config.only].sort(),
    waivers: config.waivers.map((w) => w.id).sort(),
    readOnly: config.readOnly,
    seed: config.seed,
  };
  return createHash('sha256').update(canonicalJson(normal)).digest('hex');
}

type Evidence = RequirementResult['evidence'];

/** What one test says of one requirement it cites. */
interface TestVerdict {
  status: 'passed' | 'failed' | 'not_assessed';
  reason: string;
  evidence: Evidence;
}

const RANK = { failed: 2, not_assessed: 1, passed: 0 } as const;

function fromVerdict(t: TestOutcome, v: RecordedVerdict): TestVerdict {
  const message = `${t.title}: ${v.message ?? v.status}`;
  const evidence: Evidence = v.exchanges.map((e, i) => ({
    message: i === v.exchanges.length - 1 ? message : `${t.title}: exchange ${i + 1}${v.omitted && i === 7 ? ` (then ${v.omitted} exchanges left out)` : ''}`,
    request: e.request,
    response: e.response,
    ...(typeof e.by === 'string' ? { by: e.by } : {}),
  }));
  return { status: v.status, reason: message, evidence: evidence.length > 0 ? evidence : v.status === 'passed' ? [] : [{ message }] };
}

/**
 * What test `t` says of requirement `id`: its own verdict when the test judged it; otherwise the test stopped
 * before reaching it (a set-up step, a fixture, a prerequisite failed, or a skip), which is never a failure.
 */
function testVerdict(t: TestOutcome, id: string): TestVerdict {
  const own = t.verdicts.filter((v) => v.id === id).map((v) => fromVerdict(t, v));
  if (own.length > 0) return own.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  if (t.status === 'passed') return { status: 'passed', reason: '', evidence: [] };
  if (t.status === 'skipped') return { status: 'not_assessed', reason: t.skipReason ?? 'skipped', evidence: [] };
  // a test without verify() blocks is one check of everything it cites: its failure is theirs, unless a set-up step stopped it
  const stoppedBeforeRule = /^(PreconditionFailed|NotAssessed)\b/.test(t.errors[0] ?? '') || t.status !== 'failed';
  if (t.verdicts.length === 0 && !stoppedBeforeRule) {
    const message = `${t.title}: ${t.errors[0] ?? t.status}`;
    return {
      status: 'failed',
      reason: message,
      evidence:
        t.evidence.length > 0
          ? t.evidence.map((e, i) => ({
              message: i === t.evidence.length - 1 ? message : `${t.title}: exchange ${i + 1}`,
              request: e.request,
              response: e.response,
            }))
          : [{ message }],
    };
  }
  const why =
    t.status === 'timedOut'
      ? 'the check did not finish within the test timeout (a target that slows its answers down, e.g. after bad credentials, ends here)'
      : t.status === 'interrupted'
        ? 'the run was interrupted before the check reached it'
        : firstLine(t.errors[0] ?? t.status);
  const reason = `${t.title}: blocked by ${why.replace(/^harness: /, 'a harness error: ')}`;
  return {
    status: 'not_assessed',
    reason,
    evidence: t.evidence.map((e) => ({ message: `${t.title}: before the check was blocked`, request: e.request, response: e.response })),
  };
}

/**
 * Joins test outcomes with the catalog, one verdict per requirement: failed when a test judged it failed; not
 * assessed when a test could not reach it (and none failed it); passed when every citing test judged it passed.
 */
export function judge(
  requirements: readonly Requirement[],
  outcomes: readonly TestOutcome[],
  waivers: readonly Waiver[],
  emptyReason: string,
): RequirementResult[] {
  const byId = new Map<string, TestOutcome[]>();
  for (const o of outcomes) for (const id of o.requirements) byId.set(id, [...(byId.get(id) ?? []), o]);
  const waived = new Map(waivers.map((w) => [w.id, w.reason]));
  return requirements.map((r) => {
    const links = citations(r.source).filter((c) => c !== undefined);
    const base = {
      id: r.id,
      title: r.title,
      profile: r.profile,
      kind: r.kind,
      severity: r.severity,
      source: r.source,
      ...(r.quote ? { quote: r.quote } : {}),
      ...(links.length > 0 ? { links } : {}),
    };
    const verdicts = (byId.get(r.id) ?? []).map((t) => testVerdict(t, r.id));
    if (verdicts.length === 0) return { ...base, status: 'not_assessed' as const, reason: emptyReason, evidence: [] };
    const failed = verdicts.filter((v) => v.status === 'failed');
    if (failed.length > 0) {
      const evidence = failed.flatMap((v) => v.evidence);
      if (waived.has(r.id)) return { ...base, status: 'waived' as const, reason: `waived: ${waived.get(r.id) || 'listed in --waivers'}`, evidence };
      return { ...base, status: 'failed' as const, reason: failed.map((v) => firstLine(v.reason)).join(' | '), evidence };
    }
    const blocked = verdicts.filter((v) => v.status === 'not_assessed');
    if (blocked.length > 0) {
      const reasons = [...new Set(blocked.map((v) => v.reason))].join('; ');
      const partly = blocked.length < verdicts.length ? `partly assessed (${verdicts.length - blocked.length} of ${verdicts.length} checks passed); ` : '';
      return { ...base, status: 'not_assessed' as const, reason: `${partly}${reasons}`, evidence: blocked.flatMap((v) => v.evidence) };
    }
    return { ...base, status: 'passed' as const, evidence: [] };
  });
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim()
      .slice(0, 300) ?? text
  );
}

export function summarize(results: readonly RequirementResult[]): Summary {
  return {
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    notAssessed: results.filter((r) => r.status === 'not_assessed').length,
    waived: results.filter((r) => r.status === 'waived').length,
    mustFailed: results.filter((r) => r.status === 'failed' && r.severity === 'MUST').length,
  };
}

export function signCertificate(unsigned: UnsignedCertificate, key: SigningKey): Certificate {
  return { ...unsigned, signature: { alg: 'Ed25519', publicKey: key.publicKey, value: signBytes(key, canonicalJson(unsigned)) } };
}

/** Per-profile counts, for the table certify prints and certificate.md. */
export function profileTable(results: readonly RequirementResult[]): Array<{ profile: string } & Summary> {
  const profiles = [...new Set(results.map((r) => r.profile))];
  return profiles.map((profile) => ({ profile, ...summarize(results.filter((r) => r.profile === profile)) }));
}

export function renderTable(results: readonly RequirementResult[]): string {
  const rows = profileTable(results);
  const head = ['profile', 'passed', 'failed', 'not assessed', 'waived', 'MUST failed'];
  const body = rows.map((r) => [r.profile, r.passed, r.failed, r.notAssessed, r.waived, r.mustFailed].map(String));
  const total = summarize(results);
  body.push(['total', total.passed, total.failed, total.notAssessed, total.waived, total.mustFailed].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function renderMarkdown(cert: Certificate, fingerprint: string): string {
  const s = cert.summary;
  const out: string[] = [];
  out.push(`# SCIM conformance certificate`, '');
  out.push(`- Target: \`${cert.target.scimUrl}\``);
  out.push(
    `- Suite: ${cert.suite.name} ${cert.suite.version}; profiles: ${cert.config.profiles.join(', ')}${cert.config.only.length ? `; only: ${cert.config.only.join(', ')}` : ''}`,
  );
  out.push(`- Started: ${cert.startedAt}; duration: ${(cert.durationMs / 1000).toFixed(1)} s; config hash: \`${cert.config.hash.slice(0, 16)}\``);
  out.push(
    `- Result: **${s.mustFailed === 0 ? 'no MUST requirement failed' : `${s.mustFailed} MUST requirement(s) failed`}** (${s.passed} passed, ${s.failed} failed, ${s.notAssessed} not assessed, ${s.waived} waived)`,
  );
  out.push(`- Signed with Ed25519, key fingerprint \`${fingerprint}\` (check with \`scimulator verify certificate.json\`)`, '');
  out.push('| profile | passed | failed | not assessed | waived | MUST failed |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of profileTable(cert.requirements)) out.push(`| ${r.profile} | ${r.passed} | ${r.failed} | ${r.notAssessed} | ${r.waived} | ${r.mustFailed} |`);
  const section = (title: string, status: RequirementResult['status']) => {
    const list = cert.requirements.filter((r) => r.status === status);
    if (list.length === 0) return;
    out.push('', `## ${title}`, '');
    for (const r of list) {
      const source = r.links?.length ? r.links.map((l) => `[${l.label}](${l.url})`).join('; ') : r.source;
      out.push(`- **${r.id}** (${r.severity}, ${source}): ${r.title}`);
      if (r.quote) out.push(`  - > ${r.quote.replace(/\n/g, ' ')}`);
      if (r.reason) out.push(`  - ${r.reason.replace(/\n/g, ' ')}`);
      for (const e of r.evidence.filter((ev) => ev.request)) {
        const req = e.request as { method?: string; url?: string };
        const res = e.response as { status?: number; body?: unknown } | null;
        const by = e.by && e.by !== 'harness' ? `${e.by}: ` : '';
        out.push(
          `  - ${by}\`${req.method} ${req.url}\` -> ${res?.status ?? '(no answer)'}: \`${JSON.stringify(res?.body ?? '')
            .slice(0, 200)
            .replace(/`/g, "'")}\``,
        );
      }
    }
  };
  section('Failed', 'failed');
  section('Waived', 'waived');
  section('Not assessed', 'not_assessed');
  out.push('', '## All requirements', '', '| id | severity | status | source |', '| --- | --- | --- | --- |');
  for (const r of cert.requirements) out.push(`| ${r.id} | ${r.severity} | ${r.status} | ${r.source} |`);
  return `${out.join('\n')}\n`;
}
