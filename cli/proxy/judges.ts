import { findRequirement } from '../../catalog/index.ts';

/**
 * Passive judges: what one recorded exchange between an IdP and a SCIM service shows about the requirements that
 * apply to it. A judge speaks only when the exchange is of the kind its rule is about (a create, a list, an error,
 * an Entra-cased PATCH op), so a requirement the traffic never exercised stays "not observed".
 */

export type Idp = 'okta' | 'entra' | 'sailpoint' | 'unknown';

export interface RecordedExchange {
  /** Order of arrival, from 1. */
  seq: number;
  startedAt: string;
  ms: number;
  idp: Idp;
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown; bodyText?: string };
  response: { status: number; headers: Record<string, string>; body?: unknown; bodyText?: string } | null;
  error?: string;
}

export interface Judgement {
  id: string;
  passed: boolean;
  /** Why it failed (or what was seen, when it passed). */
  message: string;
}

const URN_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const URN_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

type Judge = (e: RecordedExchange & { response: NonNullable<RecordedExchange['response']> }, path: PathInfo) => Judgement[];

interface PathInfo {
  /** `Users`, `Groups`, ... : the resource type segment, when the path ends at a collection or one resource. */
  collection?: string;
  /** The resource id, for /Users/{id}. */
  id?: string;
  query: URLSearchParams;
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const ok = (s: number) => s >= 200 && s < 300;
const judged = (id: string, passed: boolean, message: string): Judgement => ({ id, passed, message });

/** The part of the request path after the SCIM base: the proxy's own base is the upstream base, so any prefix is kept. */
export function pathInfo(url: string): PathInfo {
  const u = new URL(url);
  const parts = u.pathname.split('/').filter(Boolean);
  const i = parts.findIndex((p) => p === 'Users' || p === 'Groups');
  if (i < 0) return { query: u.searchParams };
  return { collection: parts[i]!, ...(parts[i + 1] ? { id: decodeURIComponent(parts[i + 1]!) } : {}), query: u.searchParams };
}

const hasBody = (r: { body?: unknown; bodyText?: string }) => r.body !== undefined || !!r.bodyText;

const contentType: Judge = (e) => {
  if (!hasBody(e.response)) return [];
  const ct = e.response.headers['content-type'] ?? '(none)';
  return [
    judged(
      'RFC-CONTENT-RESPONSE-TYPE',
      /^application\/scim\+json\s*(;|$)/i.test(ct),
      `${e.request.method} answered ${e.response.status} with content type ${ct}`,
    ),
  ];
};

const errorBody: Judge = (e) => {
  if (e.response.status < 400 || !hasBody(e.response)) return [];
  const body = obj(e.response.body);
  const schemas = Array.isArray(body?.schemas) ? (body!.schemas as unknown[]) : [];
  const passed = schemas.includes(URN_ERROR) && body?.status === String(e.response.status);
  return [
    judged(
      'RFC-ERROR-BODY',
      passed,
      passed
        ? `a SCIM Error with status "${e.response.status}"`
        : `the ${e.response.status} body is not a SCIM Error with status "${e.response.status}" as a string: ${(e.response.bodyText ?? JSON.stringify(e.response.body)).slice(0, 200)}`,
    ),
  ];
};

const create: Judge = (e, p) => {
  if (e.request.method !== 'POST' || !p.collection || p.id || !ok(e.response.status)) return [];
  const body = obj(e.response.body);
  const out: Judgement[] = [];
  const id = p.collection === 'Users' ? 'RFC-USER-CREATE-201' : 'RFC-GROUP-CREATE-201';
  out.push(
    judged(
      id,
      e.response.status === 201 && typeof body?.id === 'string',
      `POST /${p.collection} answered ${e.response.status}${typeof body?.id === 'string' ? '' : ' without the created resource and its id'}`,
    ),
  );
  if (p.collection === 'Users' && body) {
    const meta = obj(body.meta);
    const missing = ['resourceType', 'created', 'lastModified', 'location'].filter((k) => !meta?.[k]);
    out.push(judged('RFC-USER-CREATE-META', missing.length === 0, missing.length ? `meta lacks ${missing.join(', ')}` : 'meta complete'));
    if (e.response.status === 201 && typeof meta?.location === 'string') {
      const location = e.response.headers.location;
      out.push(judged('RFC-USER-CREATE-LOCATION', location === meta.location, `Location header ${location ?? '(none)'}; meta.location ${meta.location}`));
    }
  }
  return out;
};

const list: Judge = (e, p) => {
  if (e.request.method !== 'GET' || !p.collection || p.id || e.response.status !== 200) return [];
  const body = obj(e.response.body);
  if (!body) return [];
  const out: Judgement[] = [];
  const schemas = Array.isArray(body.schemas) ? body.schemas : [];
  out.push(judged('RFC-LIST-SCHEMA', schemas.includes(URN_LIST), `schemas ${JSON.stringify(schemas)}`));
  const numeric = ['totalResults', 'startIndex', 'itemsPerPage'].filter((k) => k in body).every((k) => typeof body[k] === 'number');
  out.push(
    judged(
      'RFC-PAGE-NUMBERS',
      numeric && typeof body.totalResults === 'number',
      `totalResults ${JSON.stringify(body.totalResults)}, startIndex ${JSON.stringify(body.startIndex)}, itemsPerPage ${JSON.stringify(body.itemsPerPage)}`,
    ),
  );
  if (e.idp === 'okta') out.push(judged('OKTA-LIST-NUMBERS', numeric, `paging fields ${numeric ? 'are' : 'are not all'} JSON numbers`));
  if (typeof body.itemsPerPage === 'number' && Array.isArray(body.Resources)) {
    out.push(
      judged('RFC-PAGE-ITEMSPERPAGE', body.itemsPerPage === body.Resources.length, `itemsPerPage ${body.itemsPerPage} for ${body.Resources.length} Resources`),
    );
  }
  const filter = p.query.get('filter') ?? '';
  if (e.idp === 'okta' && p.collection === 'Users' && /^userName eq "/.test(filter)) {
    out.push(
      judged(
        'OKTA-ASSIGN-FILTER-EQ',
        schemas.includes(URN_LIST) && typeof body.totalResults === 'number',
        `the existence check ${filter} answered a ListResponse`,
      ),
    );
  }
  return out;
};

/** Entra writes op names capitalised ("Replace", "Add"): a server must take them as the lower-case ops. */
const patch: Judge = (e, p) => {
  if (e.request.method !== 'PATCH' || !p.collection || !p.id) return [];
  const ops = (obj(e.request.body)?.Operations as Array<{ op?: unknown; path?: unknown; value?: unknown }> | undefined) ?? [];
  const out: Judgement[] = [];
  if (e.idp === 'entra' && ops.some((o) => typeof o.op === 'string' && o.op !== o.op.toLowerCase())) {
    out.push(judged('ENTRA-PATCH-OP-CASE', ok(e.response.status), `PATCH with ops ${ops.map((o) => String(o.op)).join(', ')} answered ${e.response.status}`));
  }
  if (!ok(e.response.status)) return out;
  const body = obj(e.response.body);
  const status = e.response.status === 204 || (e.response.status === 200 && !!body);
  let reflected = true;
  let why = `answered ${e.response.status}`;
  // the answer reflects a replace of a plain attribute: the body holds the value sent (booleans may arrive as strings)
  for (const o of ops) {
    if (
      !body ||
      String(o.op).toLowerCase() !== 'replace' ||
      typeof o.path !== 'string' ||
      /[.[:]/.test(o.path) ||
      (o.value !== null && typeof o.value === 'object')
    )
      continue;
    // an attribute absent from the answer may be one never returned (password) or returned only on request
    const key = Object.keys(body).find((k) => k.toLowerCase() === (o.path as string).toLowerCase());
    if (key === undefined) continue;
    const want = typeof o.value === 'string' && /^(true|false)$/i.test(o.value) && typeof body[key] === 'boolean' ? o.value.toLowerCase() === 'true' : o.value;
    if (body[key] !== want) {
      reflected = false;
      why = `replace ${o.path} = ${JSON.stringify(o.value)} but the answer holds ${JSON.stringify(body[key])}`;
    }
  }
  out.push(judged('RFC-PATCH-RESPONSE', status && reflected, why));
  return out;
};

const remove: Judge = (e, p) => {
  if (e.request.method !== 'DELETE' || !p.collection || !p.id || !ok(e.response.status)) return [];
  return [judged(p.collection === 'Users' ? 'RFC-USER-DELETE-204' : 'RFC-GROUP-DELETE-204', e.response.status === 204, `DELETE answered ${e.response.status}`)];
};

const JUDGES: Judge[] = [contentType, errorBody, create, list, patch, remove];

/** Every requirement a judge can speak to: the certificate lists these as passed, failed or not observed. */
export const OBSERVABLE = [
  'RFC-CONTENT-RESPONSE-TYPE',
  'RFC-ERROR-BODY',
  'RFC-USER-CREATE-201',
  'RFC-GROUP-CREATE-201',
  'RFC-USER-CREATE-META',
  'RFC-USER-CREATE-LOCATION',
  'RFC-LIST-SCHEMA',
  'RFC-PAGE-NUMBERS',
  'RFC-PAGE-ITEMSPERPAGE',
  'RFC-PATCH-RESPONSE',
  'RFC-USER-DELETE-204',
  'RFC-GROUP-DELETE-204',
  'OKTA-LIST-NUMBERS',
  'OKTA-ASSIGN-FILTER-EQ',
  'ENTRA-PATCH-OP-CASE',
].filter((id) => findRequirement(id) !== undefined);

/** The judgements of one exchange (none for a transport failure: nothing was answered to judge). */
export function judgeExchange(e: RecordedExchange): Judgement[] {
  if (!e.response) return [];
  const withResponse = e as RecordedExchange & { response: NonNullable<RecordedExchange['response']> };
  const p = pathInfo(e.request.url);
  return JUDGES.flatMap((j) => j(withResponse, p)).filter((j) => OBSERVABLE.includes(j.id));
}

/** Which IdP sent a request: its User-Agent first, then the shapes only that IdP sends. */
export function recogniseIdp(req: { method: string; url: string; headers: Record<string, string>; body?: unknown }): Idp {
  const ua = req.headers['user-agent'] ?? '';
  if (/okta/i.test(ua)) return 'okta';
  if (/azure|aad|entra|microsoft/i.test(ua)) return 'entra';
  if (/sailpoint|identitynow|identityiq/i.test(ua)) return 'sailpoint';
  const url = new URL(req.url);
  if (url.searchParams.has('aadOptscim062020')) return 'entra';
  const ops = (obj(req.body)?.Operations as Array<{ op?: unknown }> | undefined) ?? [];
  if (ops.some((o) => typeof o.op === 'string' && /^[A-Z]/.test(o.op))) return 'entra';
  if (/filter=userName(\+|%20)eq/.test(url.search) && url.searchParams.get('startIndex') === '1' && url.searchParams.get('count') === '100') return 'okta';
  return 'unknown';
}
