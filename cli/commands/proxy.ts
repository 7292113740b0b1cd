import { mkdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { conclude } from '../certify/run.ts';
import { CliError, EXIT } from '../errors.ts';
import { parseFlags } from '../flags.ts';
import { judgeExchange, type Judgement, type RecordedExchange } from '../proxy/judges.ts';
import { writeLiveReports } from '../proxy/report.ts';
import { startProxy } from '../proxy/server.ts';
import { formatIssues } from '../../simulators/core/issues.ts';

export const PROXY_HELP = `Usage: scimulator proxy --upstream SCIM_BASE_URL [--port 8443] [--host 127.0.0.1] [--idp okta|entra|sailpoint|auto]
                        [--out reports/live] [--duration SECONDS] [--ca FILE | --insecure] [--tls-cert FILE --tls-key FILE]

A recording reverse proxy to put between a real IdP tenant (in staging) and your SCIM service. Give the IdP the
proxy's URL as the SCIM base URL (the ready line on stdout prints it); every exchange is forwarded unchanged, recorded
with secrets redacted, and judged passively against the requirements it shows (status and Location of a create,
ListResponse shape and paging numbers, error bodies and content types, a PATCH answer reflecting its operations,
Entra's capitalised PATCH ops, Okta's existence check). On Ctrl+C or after --duration it writes the report set:
certificate.json and certificate.md (requirements passed, failed or not observed, with the real exchanges as
evidence), junit.xml and recording.har (HAR 1.2: open it in a browser's dev tools; replay it with 'scimulator replay').

  --upstream URL          the SCIM base URL of your service (required)
  --port N                where the proxy listens (default 8443; 0 picks a free port)
  --host H                the address it listens on (default 127.0.0.1)
  --idp NAME              okta | entra | sailpoint | auto (default auto: from the User-Agent and request shapes)
  --out DIR               where the reports go (default reports/live)
  --duration SECONDS      stop by itself after this long (default: run until Ctrl+C)
  --ca FILE               PEM CA bundle that signs the upstream's certificate
  --insecure              accept any upstream certificate (staging only)
  --tls-cert FILE --tls-key FILE
                          serve HTTPS towards the IdP with this certificate (PEM)
  --signing-key FILE      Ed25519 key that signs the certificate (default: as certify)

Exit codes: 0 no observed MUST requirement failed; 1 one did; 2 usage error.
`;

const optionsSchema = z.object({
  upstream: z.url({ protocol: /^https?$/, error: '--upstream must be an http(s) SCIM base URL' }),
  port: z.coerce.number().int().min(0).max(65535, { error: '--port must be 0-65535' }).default(8443),
  host: z.string().min(1).default('127.0.0.1'),
  idp: z.enum(['okta', 'entra', 'sailpoint', 'auto'], { error: '--idp must be okta, entra, sailpoint or auto' }).default('auto'),
  out: z.string().min(1).default('reports/live'),
  duration: z.coerce.number().positive({ error: '--duration must be a number of seconds' }).optional(),
  ca: z.string().optional(),
  insecure: z.boolean().default(false),
  'tls-cert': z.string().optional(),
  'tls-key': z.string().optional(),
  'signing-key': z.string().optional(),
});

function readPem(flag: string, file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`${flag} ${file}: ${(err as Error).message}`);
  }
}

export async function run(argv: string[]): Promise<number> {
  const raw = parseFlags(
    argv,
    {
      upstream: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      idp: { type: 'string' },
      out: { type: 'string' },
      duration: { type: 'string' },
      ca: { type: 'string' },
      insecure: { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'signing-key': { type: 'string' },
    },
    'proxy',
    false,
  ).values;
  if (raw.help) {
    process.stdout.write(PROXY_HELP);
    return EXIT.ok;
  }
  if (!raw.upstream) throw new CliError("--upstream is required: the SCIM base URL of the service behind the proxy. See 'scimulator proxy --help'.");
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`${formatIssues(parsed.error, { paths: false })}.`);
  const o = parsed.data;
  if (!!o['tls-cert'] !== !!o['tls-key']) throw new CliError('--tls-cert and --tls-key go together.');
  const cert = readPem('--tls-cert', o['tls-cert']);
  const key = readPem('--tls-key', o['tls-key']);
  const ca = readPem('--ca', o.ca);
  mkdirSync(o.out, { recursive: true });

  const startedAt = new Date();
  const exchanges: RecordedExchange[] = [];
  const judgements = new Map<number, Judgement[]>();
  const seen = new Map<string, boolean>();
  let printed = 0;
  // one line rewritten in place on a terminal; in a log, at most one line a second
  const live = (force = false) => {
    if (!process.stderr.isTTY && !force && Date.now() - printed < 1_000) return;
    printed = Date.now();
    const failed = [...seen.values()].filter((passed) => !passed).length;
    const line = `proxy: ${exchanges.length} exchanges, ${seen.size} requirements judged, ${failed} failed`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
  };
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  try {
    proxy = await startProxy({
      upstream: o.upstream,
      host: o.host,
      port: o.port,
      ...(o.idp !== 'auto' ? { idp: o.idp } : {}),
      ...(ca ? { ca } : {}),
      insecure: o.insecure,
      ...(cert && key ? { tls: { cert, key } } : {}),
      onExchange: (e) => {
        exchanges.push(e);
        const js = judgeExchange(e);
        judgements.set(e.seq, js);
        // a requirement failed once stays failed in the live count
        for (const j of js) seen.set(j.id, (seen.get(j.id) ?? true) && j.passed);
        live();
      },
    });
  } catch (err) {
    throw new CliError(`cannot listen on ${o.host}:${o.port}: ${(err as Error).message}`);
  }
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: proxy.url, upstream: o.upstream, out: o.out })}\n`);
  process.stderr.write(`proxy: give the IdP ${proxy.url} as its SCIM base URL; forwarding to ${o.upstream}. Ctrl+C writes the reports.\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (o.duration) setTimeout(stop, o.duration * 1000).unref();
  });
  await proxy.close();
  live(true);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const certificate = writeLiveReports({
    out: o.out,
    upstream: o.upstream,
    startedAt,
    exchanges,
    judgements,
    ...(o['signing-key'] ? { signingKey: o['signing-key'] } : {}),
  });
  return conclude(certificate, o.out);
}
