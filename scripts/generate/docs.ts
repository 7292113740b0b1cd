// The generated files of the repository and how each is rendered from its single source. `npm run gen` writes
// them; `npm run gen:check` (scripts/gen.ts --check) fails when one differs from what its source gives now.
import { z } from 'zod';
import { CATALOG, citations, PROFILES, type Requirement } from '../../catalog/index.ts';
import { certificateSchema } from '../../cli/certify/certificate.ts';
import { COMMAND_NAMES, main } from '../../cli/main.ts';
import { DEFECTS } from '../../reference-server/src/defects/index.ts';

export const ROOT = new URL('../..', import.meta.url).pathname;

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  /** What produces it: named in the file's header and in gen:check's message. */
  source: string;
  render(): string | Promise<string>;
}

const header = (source: string) => `<!-- Generated from ${source} by 'npm run gen'; edit the source, not this file. -->\n`;

/** A table cell: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

/** certificate.json's JSON Schema (draft 2020-12), from the zod schema certify validates with. */
export function certificateJsonSchema(): string {
  const schema = z.toJSONSchema(certificateSchema, { target: 'draft-2020-12', unrepresentable: 'throw' });
  const doc = {
    $schema: schema.$schema,
    title: 'scimulator certificate.json (schemaVersion 1)',
    description:
      "The signed result of 'scimulator certify' or 'scimulator merge-reports'. Generated from certificateSchema in cli/certify/certificate.ts; check a certificate's signature with 'scimulator verify'.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Each command's --help, exactly as the CLI prints it: `main()` is what cli/bin.js runs, called here in this process
 * with its output captured (a process per command cost seconds in every gen:check).
 */
export async function cliReference(): Promise<string> {
  const help = async (args: string[]) => {
    const chunks: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0) as typeof process.stdout.write;
    let status: number;
    try {
      status = await main(args);
    } finally {
      process.stdout.write = write;
    }
    if (status !== 0) throw new Error(`scimulator ${args.join(' ')} exited ${status}`);
    return chunks.join('').trimEnd();
  };
  const out = [header('the --help text of each command (cli/commands/*.ts, cli/certify/options.ts)'), '# Command reference', ''];
  // the version line changes every release; the command list is what this page documents
  out.push('```text', (await help(['--help'])).replace(/^scimulator \S+\n\n/, ''), '```', '');
  for (const name of COMMAND_NAMES) out.push(`## scimulator ${name}`, '', '```text', await help([name, '--help']), '```', '');
  return `${out.join('\n').trimEnd()}\n`;
}

function sourceLinks(source: string): string {
  const parts = source.split('; ');
  return citations(source)
    .map((c, i) => {
      if (!c) return cell(parts[i]!);
      // repository files are linked relative to docs/reference/
      const url = c.url.startsWith('docs/') ? `../${c.url.slice('docs/'.length)}` : c.url;
      return `[${cell(c.label)}](${url})`;
    })
    .join('; ');
}

/** Every requirement per profile: id, severity, title, the quoted sentence when the catalog has it, source links. */
export function requirementsReference(): string {
  const out = [header('the catalog (catalog/*.ts), sources linked by citations() in catalog/schema.ts'), '# Requirements', ''];
  out.push(
    `${CATALOG.length} requirements in ${PROFILES.length} profiles. Severity follows the keyword of the quoted source (RFC 2119): MUST, SHOULD, MAY.`,
    '',
  );
  for (const profile of PROFILES) {
    const list = CATALOG.filter((r) => r.profile === profile);
    if (list.length > 0) out.push(`- [${profile}](#${profile}) (${list.length})`);
  }
  for (const profile of PROFILES) {
    const list: Requirement[] = CATALOG.filter((r) => r.profile === profile);
    if (list.length === 0) continue;
    const count = (s: Requirement['severity']) => list.filter((r) => r.severity === s).length;
    out.push('', `## ${profile}`, '', `${list.length} requirements: ${count('MUST')} MUST, ${count('SHOULD')} SHOULD, ${count('MAY')} MAY.`, '');
    out.push('| id | severity | requirement | source |', '| --- | --- | --- | --- |');
    for (const r of list) {
      const text = r.quote ? `${cell(r.title)}<br>*"${cell(r.quote)}"*` : cell(r.title);
      out.push(`| ${r.id} | ${r.severity} | ${text} | ${sourceLinks(r.source)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** The reference server's deliberate bugs (`serve --defect NAME`). */
export function defectsReference(): string {
  const out = [header('DEFECTS in reference-server/src/defects/index.ts'), '# Reference server defects', ''];
  out.push(
    '`scimulator serve --demo --defect NAME` (repeatable; needs env SCIMULATOR_ALLOW_DEFECTS=1) switches on one deliberate bug, so a check can be shown to fail against a broken target. Certifying such a server with `scimulator certify --target ...` lists the requirements the bug breaks.',
    '',
    '| defect | what goes wrong |',
    '| --- | --- |',
  );
  for (const [name, what] of Object.entries(DEFECTS)) out.push(`| \`${name}\` | ${cell(what)} |`);
  return `${out.join('\n')}\n`;
}

export const GENERATED: readonly GeneratedFile[] = [
  { path: 'schemas/certificate.schema.json', source: 'certificateSchema in cli/certify/certificate.ts', render: certificateJsonSchema },
  { path: 'docs/reference/cli.md', source: "each command's --help (cli/)", render: cliReference },
  { path: 'docs/reference/requirements.md', source: 'the catalog (catalog/*.ts)', render: requirementsReference },
  { path: 'docs/reference/defects.md', source: 'DEFECTS in reference-server/src/defects/index.ts', render: defectsReference },
];
