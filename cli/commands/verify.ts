import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { canonicalJson } from '../certify/canonical.ts';
import { certificateSchema, summarize } from '../certify/certificate.ts';
import { fingerprint, publicKeyFromBase64, readPublicKeyFile, verifyBytes } from '../certify/signing.ts';
import { CliError, EXIT } from '../errors.ts';
import { parseFlags } from '../flags.ts';

const HELP = `Usage: scimulator verify CERTIFICATE.json [--public-key FILE]

Checks the certificate's Ed25519 signature and that its summary matches its requirement list, and prints the
signing key's fingerprint so it can be compared with the one the vendor published. With --public-key the
signature must come from that key (PEM, or the base64 DER string certificates carry).
Exit 0 valid, 1 invalid, 2 usage error.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, { 'public-key': { type: 'string' } }, 'verify');
  if (parsed.values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) throw new CliError('give exactly one certificate file: scimulator verify certificate.json [--public-key FILE].');
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
  const { signature, ...unsigned } = cert.data;
  let embedded: ReturnType<typeof publicKeyFromBase64>;
  try {
    embedded = publicKeyFromBase64(signature.publicKey);
  } catch {
    process.stdout.write(`INVALID: the certificate's publicKey is not an Ed25519 public key\n`);
    return EXIT.requirementFailed;
  }
  const key = parsed.values['public-key'] ? readPublicKeyFile(parsed.values['public-key']) : embedded;
  const problems: string[] = [];
  if (parsed.values['public-key'] && fingerprint(key) !== fingerprint(embedded)) problems.push('the certificate was signed with another key than --public-key');
  // the signature covers the certificate exactly as written, so compare with the raw JSON minus the signature
  const { signature: _raw, ...rawUnsigned } = json as Record<string, unknown>;
  if (!verifyBytes(key, canonicalJson(rawUnsigned), signature.value))
    problems.push('the signature does not match the content (altered after signing, or another key)');
  const recount = summarize(unsigned.requirements);
  if (!isDeepStrictEqual(recount, unsigned.summary))
    problems.push(`the summary ${JSON.stringify(unsigned.summary)} does not match the requirement list ${JSON.stringify(recount)}`);

  process.stdout.write(`key fingerprint: ${fingerprint(key)}\n`);
  process.stdout.write(`target: ${unsigned.target.scimUrl}; profiles: ${unsigned.config.profiles.join(', ')}; started ${unsigned.startedAt}\n`);
  const s = unsigned.summary;
  process.stdout.write(`summary: ${s.passed} passed, ${s.failed} failed, ${s.notAssessed} not assessed, ${s.waived} waived, ${s.mustFailed} MUST failed\n`);
  if (problems.length > 0) {
    for (const p of problems) process.stdout.write(`INVALID: ${p}\n`);
    return EXIT.requirementFailed;
  }
  process.stdout.write('VALID: signature and summary check out\n');
  return EXIT.ok;
}
