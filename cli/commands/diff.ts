import { readFileSync } from 'node:fs';
import { parseFlags } from '../flags.ts';
import { certificateSchema, type Certificate } from '../certify/certificate.ts';
import { diffCertificates, renderDiff, type DiffFormat } from '../certify/diff.ts';
import { CliError, EXIT } from '../errors.ts';

export const DIFF_HELP = `Usage: scimulator diff BEFORE.json AFTER.json [--format text|md|json]

Compares two certificates (e.g. a stored baseline and this run's) and lists the requirements whose verdict
changed: new failures first, then fixed ones, then other changes (e.g. passed -> not_assessed). Requirements only
one run selected show as absent on the other side.

Options:
  --format text|md|json   output on stdout (default text; md suits a CI job summary or a merge request note)
  --help                  show this help

Exit codes: 0 no requirement that passed before fails now; 1 at least one does (a regression); 2 usage error
(a file that cannot be read or is not a scimulator certificate).
`;

function readCertificate(file: string): Certificate {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code ? `cannot read ${file}: ${code}.` : `${file} is not JSON.`);
  }
  const cert = certificateSchema.safeParse(json);
  if (!cert.success) {
    throw new CliError(
      `${file} is not a scimulator certificate (schemaVersion 1): ${cert.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}.`,
    );
  }
  return cert.data;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, { format: { type: 'string' } }, 'diff');
  if (parsed.values.help) {
    process.stdout.write(DIFF_HELP);
    return EXIT.ok;
  }
  const format = parsed.values.format ?? 'text';
  if (format !== 'text' && format !== 'md' && format !== 'json') throw new CliError(`--format must be text, md or json, not '${format}'.`);
  const files = parsed.positionals;
  if (files.length !== 2) throw new CliError('give two certificates: scimulator diff BEFORE.json AFTER.json [--format text|md|json].');
  const [beforeFile, afterFile] = files as [string, string];
  const before = readCertificate(beforeFile);
  const after = readCertificate(afterFile);
  const diff = diffCertificates(before, after);
  process.stdout.write(renderDiff(diff, { file: beforeFile, cert: before }, { file: afterFile, cert: after }, format as DiffFormat));
  return diff.regressions.length > 0 ? EXIT.requirementFailed : EXIT.ok;
}
