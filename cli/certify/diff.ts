import type { Certificate, RequirementResult } from './certificate.ts';

/** A requirement's status in a certificate, or `absent` when that certificate did not select it. */
export type DiffStatus = RequirementResult['status'] | 'absent';

export interface VerdictChange {
  id: string;
  title: string;
  severity: RequirementResult['severity'];
  profile: string;
  before: DiffStatus;
  after: DiffStatus;
  /** The after certificate's reason (why it fails or is not assessed now). */
  reason?: string;
}

export interface CertificateDiff {
  /** Failing now, not failing before (passed, waived, not assessed or absent). */
  newFailures: VerdictChange[];
  /** Failing before, passing now. */
  fixed: VerdictChange[];
  /** Every other change of status (e.g. passed -> not_assessed, waived -> passed). */
  other: VerdictChange[];
  /** The new failures that passed before: these, and only these, make `scimulator diff` exit 1. */
  regressions: VerdictChange[];
}

const SEVERITY_ORDER = { MUST: 0, SHOULD: 1, MAY: 2 } as const;
const bySeverityThenId = (a: VerdictChange, b: VerdictChange) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id);

/** The requirements whose verdict differs between two certificates, grouped as `scimulator diff` prints them. */
export function diffCertificates(before: Pick<Certificate, 'requirements'>, after: Pick<Certificate, 'requirements'>): CertificateDiff {
  const was = new Map(before.requirements.map((r) => [r.id, r]));
  const now = new Map(after.requirements.map((r) => [r.id, r]));
  const ids = [...new Set([...was.keys(), ...now.keys()])];
  const out: CertificateDiff = { newFailures: [], fixed: [], other: [], regressions: [] };
  for (const id of ids) {
    const b = was.get(id);
    const a = now.get(id);
    const beforeStatus: DiffStatus = b?.status ?? 'absent';
    const afterStatus: DiffStatus = a?.status ?? 'absent';
    if (beforeStatus === afterStatus) continue;
    const r = (a ?? b)!;
    const change: VerdictChange = {
      id,
      title: r.title,
      severity: r.severity,
      profile: r.profile,
      before: beforeStatus,
      after: afterStatus,
      ...(a?.reason ? { reason: a.reason } : {}),
    };
    if (afterStatus === 'failed') {
      out.newFailures.push(change);
      if (beforeStatus === 'passed') out.regressions.push(change);
    } else if (beforeStatus === 'failed' && afterStatus === 'passed') out.fixed.push(change);
    else out.other.push(change);
  }
  for (const list of Object.values(out)) list.sort(bySeverityThenId);
  return out;
}

export type DiffFormat = 'text' | 'md' | 'json';

export interface DiffSide {
  file: string;
  cert: Pick<Certificate, 'target' | 'startedAt' | 'config' | 'summary'>;
}

const SECTIONS = [
  ['newFailures', 'New failures'],
  ['fixed', 'Fixed'],
  ['other', 'Other changes'],
] as const;

function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

function describe(side: DiffSide): string {
  const s = side.cert.summary;
  return `${side.file} (${side.cert.target.scimUrl}, ${side.cert.startedAt}; ${s.passed} passed, ${s.failed} failed, ${s.notAssessed} not assessed, ${s.waived} waived)`;
}

function closing(diff: CertificateDiff): string {
  const n = diff.regressions.length;
  return n > 0 ? `REGRESSION: ${n} requirement(s) passed before and fail now.` : 'No regression: no requirement that passed before fails now.';
}

/** A note when the two runs selected different things, so a reader knows why requirements appear or vanish. */
function selectionNote(before: DiffSide, after: DiffSide): string | undefined {
  if (before.cert.config.hash === after.cert.config.hash) return undefined;
  return 'note: the two runs used different selections (profiles, --only, waivers, --read-only or seed differ); requirements one of them did not select show as absent.';
}

export function renderDiff(diff: CertificateDiff, before: DiffSide, after: DiffSide, format: DiffFormat): string {
  if (format === 'json') {
    const side = (s: DiffSide) => ({
      file: s.file,
      scimUrl: s.cert.target.scimUrl,
      startedAt: s.cert.startedAt,
      configHash: s.cert.config.hash,
      summary: s.cert.summary,
    });
    return `${JSON.stringify({ before: side(before), after: side(after), regressions: diff.regressions.map((c) => c.id), newFailures: diff.newFailures, fixed: diff.fixed, other: diff.other }, null, 2)}\n`;
  }
  const note = selectionNote(before, after);
  const out: string[] = [];
  if (format === 'md') {
    out.push('# SCIM conformance: changes between two certificates', '', `- Before: ${describe(before)}`, `- After: ${describe(after)}`);
    if (note) out.push(`- ${note[0]!.toUpperCase()}${note.slice(1)}`);
    for (const [key, title] of SECTIONS) {
      const list = diff[key];
      out.push('', `## ${title} (${list.length})`, '');
      if (list.length === 0) {
        out.push('None.');
        continue;
      }
      out.push('| id | severity | before | after | title | reason now |', '| --- | --- | --- | --- | --- | --- |');
      const cell = (t: string) => t.replace(/\|/g, '\\|');
      for (const c of list) out.push(`| ${c.id} | ${c.severity} | ${c.before} | ${c.after} | ${cell(c.title)} | ${cell(oneLine(c.reason ?? ''))} |`);
    }
    out.push('', `**${closing(diff)}**`);
    return `${out.join('\n')}\n`;
  }
  out.push(`before: ${describe(before)}`, `after:  ${describe(after)}`);
  if (note) out.push(note);
  for (const [key, title] of SECTIONS) {
    const list = diff[key];
    out.push('', `${title} (${list.length})${list.length === 0 ? ': none' : ':'}`);
    for (const c of list) {
      out.push(`  ${c.id} (${c.severity}) ${c.before} -> ${c.after}: ${c.title}`);
      if (c.reason && c.after !== 'passed') out.push(`    ${oneLine(c.reason)}`);
    }
  }
  out.push('', closing(diff));
  return `${out.join('\n')}\n`;
}
