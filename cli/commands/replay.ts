import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
import { z } from 'zod';
import { CliError, EXIT } from '../errors.ts';
import { parseFlags } from '../flags.ts';
import { readHar, type HarEntry } from '../proxy/har.ts';
import { formatIssues } from '../../simulators/core/issues.ts';

export const REPLAY_HELP = `Usage: scimulator replay RECORDING.har --target SCIM_BASE_URL [--token T | --token-file F] [--json] [--timeout-ms 15000]

Sends the IdP requests of a recording (from 'scimulator proxy', or any HAR file of SCIM traffic) to another target
in their recorded order, with the target's credentials, mapping the ids the target assigns onto the recorded ones,
and compares each answer with the recorded answer structurally: the status, the schemas, and the attributes an IdP
reads (id, userName, displayName, externalId, active, emails, members; totalResults and Resources of a list). One
real provisioning session becomes an offline regression test.

Exit codes: 0 every answer matched; 1 at least one differed (each is listed); 2 usage error.
`;

const SCIM_SEGMENTS = ['Users', 'Groups', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas', 'Bulk', 'Me', '.search'];
const READ = ['id', 'userName', 'displayName', 'externalId', 'active'] as const;

/** The SCIM base of a recorded URL: everything before the first SCIM endpoint segment. */
export function recordedBase(url: string): string | undefined {
  const u = new URL(url);
  const parts = u.pathname.split('/');
  const i = parts.findIndex((p) => SCIM_SEGMENTS.includes(p));
  return i < 0 ? undefined : `${u.origin}${parts.slice(0, i).join('/')}`;
}

function json(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** What an IdP reads of one resource, with recorded ids replaced by the target's. */
function shape(r: unknown, ids: (s: string) => string): Obj {
  if (!isObj(r)) return {};
  const out: Obj = {};
  for (const k of READ) if (k in r) out[k] = k === 'id' ? 'present' : r[k];
  if (Array.isArray(r.emails)) out.emails = (r.emails as Obj[]).map((e) => String(e.value).toLowerCase()).sort();
  if (Array.isArray(r.members)) out.members = (r.members as Obj[]).map((m) => ids(String(m.value))).sort();
  return out;
}

const keyOf = (r: unknown) => (isObj(r) ? String(r.userName ?? r.displayName ?? r.externalId ?? r.id ?? '').toLowerCase() : '');

/**
 * The differences between the recorded and the replayed answer, worded for the report. List items are matched by
 * userName (or displayName, externalId): a server may return them in any order. A query relative to the time of the
 * recording (meta.lastModified gt ...) selects other resources later, so its list is not compared.
 */
export function compareAnswers(
  recorded: { status: number; body?: unknown },
  replayed: { status: number; body?: unknown },
  ids: (s: string) => string,
  query = '',
): string[] {
  const diffs: string[] = [];
  if (recorded.status !== replayed.status) diffs.push(`status ${replayed.status}, recorded ${recorded.status}`);
  const a = recorded.body;
  const b = replayed.body;
  if (!isObj(a)) return diffs;
  if (!isObj(b)) return [...diffs, 'no JSON body, recorded one'];
  const schemas = (x: Obj) => JSON.stringify([...((x.schemas as string[] | undefined) ?? [])].sort());
  if (schemas(a) !== schemas(b)) diffs.push(`schemas ${schemas(b)}, recorded ${schemas(a)}`);
  if (Array.isArray(a.Resources) && /meta\.(lastModified|created)/i.test(decodeURIComponent(query.replace(/\+/g, ' ')))) return diffs;
  if ('totalResults' in a && a.totalResults !== b.totalResults)
    diffs.push(`totalResults ${JSON.stringify(b.totalResults)}, recorded ${JSON.stringify(a.totalResults)}`);
  const theirs = Array.isArray(b.Resources) ? (b.Resources as unknown[]) : [];
  // a partial page holds whichever resources the server orders first: only its size is comparable
  if (Array.isArray(a.Resources) && typeof a.totalResults === 'number' && a.totalResults > a.Resources.length) {
    if (a.Resources.length !== theirs.length) diffs.push(`${theirs.length} Resources on the page, recorded ${a.Resources.length}`);
    return diffs;
  }
  const pairs: Array<[unknown, unknown, string]> = Array.isArray(a.Resources)
    ? (a.Resources as unknown[]).map((r) => [r, theirs.find((x) => keyOf(x) === keyOf(r)), `Resources[${keyOf(r)}].`])
    : [[a, b, '']];
  for (const [ra, rb, prefix] of pairs) {
    if (rb === undefined) {
      diffs.push(`${prefix.slice(0, -1)} is missing`);
      continue;
    }
    const sa = shape(ra, ids);
    const sb = shape(rb, (s) => s);
    for (const k of Object.keys(sa))
      if (JSON.stringify(sa[k]) !== JSON.stringify(sb[k])) diffs.push(`${prefix}${k} ${JSON.stringify(sb[k])}, recorded ${JSON.stringify(sa[k])}`);
  }
  return diffs;
}

/** Learns recorded id -> target id from a pair of answers (a created or read resource, or the items of a list). */
function learnIds(recorded: unknown, replayed: unknown, map: Map<string, string>): void {
  const pair = (x: unknown, y: unknown) => {
    if (isObj(x) && isObj(y) && typeof x.id === 'string' && typeof y.id === 'string' && x.id !== y.id) map.set(x.id, y.id);
  };
  if (isObj(recorded) && isObj(replayed) && Array.isArray(recorded.Resources) && Array.isArray(replayed.Resources)) {
    for (const r of recorded.Resources)
      pair(
        r,
        (replayed.Resources as unknown[]).find((s) => keyOf(s) === keyOf(r) && keyOf(r) !== ''),
      );
  } else pair(recorded, replayed);
}

function mapIds(text: string, map: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [from, to] of map) out = out.split(from).join(to);
  return out;
}

const DROP = new Set(['authorization', 'host', 'content-length', 'cookie', 'connection', 'accept-encoding', 'transfer-encoding']);

export interface ReplayResult {
  entries: number;
  differing: Array<{ seq: number; method: string; path: string; differences: string[] }>;
}

export async function replay(entries: readonly HarEntry[], target: string, token: string, timeoutMs: number): Promise<ReplayResult> {
  const base = recordedBase(entries[0]?.request.url ?? '');
  if (!base) throw new CliError('the recording has no SCIM request to replay (no URL with /Users, /Groups, /ServiceProviderConfig, ...).');
  const to = target.replace(/\/+$/, '');
  const ids = new Map<string, string>();
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const differing: ReplayResult['differing'] = [];
  try {
    for (const [i, e] of entries.entries()) {
      const url = mapIds(e.request.url.startsWith(base) ? `${to}${e.request.url.slice(base.length)}` : e.request.url, ids);
      const headers = Object.fromEntries(Object.entries(e.request.headers).filter(([k]) => !DROP.has(k)));
      headers.authorization = `Bearer ${token}`;
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          method: e.request.method,
          headers,
          ...(e.request.body !== undefined ? { body: mapIds(e.request.body, ids) } : {}),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          dispatcher,
        } as RequestInit);
        text = await res.text();
      } catch (err) {
        throw new CliError(`cannot reach the target at ${url}: ${(err as Error).message}`);
      }
      const recordedBody = json(e.response.body);
      const replayedBody = json(text);
      const differences = compareAnswers(
        { status: e.response.status, body: recordedBody },
        { status: res.status, body: replayedBody },
        (s) => ids.get(s) ?? s,
        new URL(url).search,
      );
      learnIds(recordedBody, replayedBody, ids);
      if (differences.length > 0) differing.push({ seq: i + 1, method: e.request.method, path: new URL(url).pathname + new URL(url).search, differences });
    }
  } finally {
    await dispatcher.close();
  }
  return { entries: entries.length, differing };
}

const optionsSchema = z.object({
  target: z.url({ protocol: /^https?$/, error: '--target must be an http(s) SCIM base URL' }),
  'timeout-ms': z.coerce.number().int().positive().default(15_000),
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseFlags(
    argv,
    {
      target: { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      json: { type: 'boolean' },
      'timeout-ms': { type: 'string' },
    },
    'replay',
  );
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(REPLAY_HELP);
    return EXIT.ok;
  }
  const [file] = parsed.positionals;
  if (!file || parsed.positionals.length > 1) throw new CliError("replay takes one recording: 'scimulator replay RECORDING.har --target URL --token T'.");
  if (!v.target) throw new CliError('--target is required: the SCIM base URL to replay the recording against.');
  const o = optionsSchema.safeParse(v);
  if (!o.success) throw new CliError(`${formatIssues(o.error, { paths: false })}.`);
  const token = v.token ?? (v['token-file'] ? readFileSync(v['token-file'], 'utf8').trim() : process.env.SCIMULATOR_TOKEN);
  if (!token) throw new CliError('a token is required: --token T, --token-file F or env SCIMULATOR_TOKEN.');
  let har: unknown;
  try {
    har = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  const read = readHar(har);
  if ('error' in read) throw new CliError(`${file} is not a HAR recording: ${read.error}.`);
  const result = await replay(read.entries, o.data.target, token, o.data['timeout-ms']);
  if (v.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    for (const d of result.differing)
      process.stdout.write(`DIFFERS exchange ${d.seq}: ${d.method} ${d.path}\n${d.differences.map((x) => `  - ${x}`).join('\n')}\n`);
    process.stdout.write(
      `${result.entries - result.differing.length} of ${result.entries} exchanges answered as recorded${result.differing.length ? `; ${result.differing.length} differ` : ''}\n`,
    );
  }
  return result.differing.length > 0 ? EXIT.requirementFailed : EXIT.ok;
}
