import { http, HttpResponse, delay, type HttpHandler } from 'msw';

/** One request as the fake target received it (what the simulator really put on the wire). */
export interface ReceivedCall {
  method: string;
  /** Path below the base plus the raw query string, e.g. `/Users?filter=...`. */
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Res = Record<string, unknown> & { id: string };

/** A canned answer for fault injection; `delayMs: 'forever'` never answers (timeouts). */
export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number | 'forever';
}

/**
 * A deliberately small in-memory SCIM target for msw: deterministic ids (u1, g1, ...), just enough filtering and
 * PATCH to let every scenario run, and a queue of injected faults. It is a test double, not a reference server.
 */
export class FakeScim {
  readonly calls: ReceivedCall[] = [];
  readonly users = new Map<string, Res>();
  readonly groups = new Map<string, Res>();
  private next = { u: 1, g: 1 };
  private faults: Array<{ method: string; path: RegExp; fault: Fault }> = [];
  readonly baseUrl: string;
  /** A broken target's behaviour on demand: filters that never match an inactive user. */
  filterHidesInactive = false;

  constructor(
    readonly origin = 'http://scim.test',
    readonly basePath = '/scim/v2',
  ) {
    this.baseUrl = `${origin}${basePath}`;
  }

  /** Queues a fault for the next request matching method and path (path tested against path+query). */
  inject(method: string, path: RegExp, ...faults: Fault[]): void {
    for (const fault of faults) this.faults.push({ method, path, fault });
  }

  handlers(): HttpHandler[] {
    return [http.all(`${this.baseUrl}/*`, async ({ request }) => this.handle(request))];
  }

  private async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = `${url.pathname.slice(this.basePath.length)}${url.search}`;
    const text = await request.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    this.calls.push({ method: request.method, path, headers: Object.fromEntries(request.headers.entries()), body });
    const i = this.faults.findIndex((f) => f.method === request.method && f.path.test(path));
    if (i >= 0) {
      const { fault } = this.faults.splice(i, 1)[0] as { fault: Fault };
      if (fault.delayMs === 'forever') await delay('infinite');
      else if (fault.delayMs) await delay(fault.delayMs);
      if (fault.status !== undefined) return json(fault.status, fault.body ?? errorBody(fault.status, 'injected fault'), fault.headers);
    }
    return this.route(request.method, url, body);
  }

  private route(method: string, url: URL, body: unknown): Response {
    const segs = url.pathname.slice(this.basePath.length).split('/').filter(Boolean);
    const [kind, id] = segs;
    if (method === 'GET' && kind === 'ServiceProviderConfig')
      return json(200, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'], patch: { supported: true } });
    if (method === 'GET' && (kind === 'ResourceTypes' || kind === 'Schemas'))
      return json(200, list(id ? [] : [{ id: 'User' }, { id: 'Group' }].map((r) => r as Res), 1, 100));
    const store = kind === 'Users' ? this.users : kind === 'Groups' ? this.groups : undefined;
    if (!store) return json(404, errorBody(404, 'no such endpoint'));
    if (method === 'GET' && !id) {
      const filter = url.searchParams.get('filter');
      const all = [...store.values()].filter((r) => matches(r, filter) && !(filter && this.filterHidesInactive && r.active === false));
      const start = Math.max(1, Number(url.searchParams.get('startIndex') ?? 1));
      const count = url.searchParams.has('count') ? Number(url.searchParams.get('count')) : 100;
      const excluded = url.searchParams.get('excludedAttributes') === 'members';
      const page = all.slice(start - 1, start - 1 + count).map((r) => (excluded ? omit(r, 'members') : r));
      return json(200, { ...list(page, start, page.length), totalResults: all.length });
    }
    if (!id && method === 'POST') {
      const b = body as Record<string, unknown>;
      if (kind === 'Users' && [...store.values()].some((u) => String(u.userName).toLowerCase() === String(b.userName).toLowerCase())) {
        return json(409, errorBody(409, 'userName already exists', 'uniqueness'));
      }
      const newId = kind === 'Users' ? `u${this.next.u++}` : `g${this.next.g++}`;
      const r: Res = {
        ...omit(b, 'password'),
        id: newId,
        meta: { resourceType: kind === 'Users' ? 'User' : 'Group', location: `${this.baseUrl}/${kind}/${newId}` },
      };
      store.set(newId, r);
      return json(201, r);
    }
    const existing = id ? store.get(id) : undefined;
    if (!existing) return json(404, errorBody(404, `${kind} ${id} not found`));
    if (method === 'GET') return json(200, url.searchParams.get('excludedAttributes') === 'members' ? omit(existing, 'members') : existing);
    if (method === 'DELETE') {
      store.delete(existing.id);
      return new Response(null, { status: 204 });
    }
    if (method === 'PUT') {
      const r: Res = { ...omit(body as Record<string, unknown>, 'password'), id: existing.id, meta: existing.meta };
      store.set(existing.id, r);
      return json(200, r);
    }
    if (method === 'PATCH') {
      applyPatch(existing, body);
      return kind === 'Groups' ? new Response(null, { status: 204 }) : json(200, existing);
    }
    return json(405, errorBody(405, 'method not allowed'));
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return HttpResponse.json(body as Record<string, unknown>, { status, headers: { 'content-type': 'application/scim+json', ...headers } });
}

function list(resources: Res[], startIndex: number, itemsPerPage: number) {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: resources.length, startIndex, itemsPerPage, Resources: resources };
}

export function errorBody(status: number, detail: string, scimType?: string) {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail, ...(scimType ? { scimType } : {}) };
}

function omit(r: Record<string, unknown>, key: string): Res {
  const { [key]: _, ...rest } = r;
  return rest as Res;
}

/** Only the filters the simulators send: `attr eq "v"` (optionally `and`-joined), `emails[type eq "work"].value eq`, `gt` (ignored). */
function matches(r: Res, filter: string | null): boolean {
  if (!filter) return true;
  return filter.split(/\s+and\s+/i).every((clause) => {
    const m = /^(\S+)\s+(eq|gt)\s+"?([^"]*)"?$/i.exec(clause.trim());
    if (!m) return true;
    const [, attr = '', op = '', value = ''] = m;
    if (op.toLowerCase() === 'gt') return true;
    const actual =
      attr === 'emails[type eq "work"].value'
        ? ((r.emails as Array<{ value: string }> | undefined) ?? []).map((e) => e.value)
        : attr === 'manager'
          ? [(r['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] as { manager?: { value?: string } } | undefined)?.manager?.value ?? '']
          : [String(r[attr] ?? '')];
    return actual.some((a) => (attr === 'id' ? a === value : a.toLowerCase() === value.toLowerCase()));
  });
}

/** Enough PATCH for the scenarios: `active` (boolean or Entra's string), no-path top-level keys, members add/remove/replace. */
function applyPatch(r: Res, body: unknown): void {
  const ops = ((body as { Operations?: unknown[] })?.Operations ?? []) as Array<{ op: string; path?: string; value?: unknown }>;
  for (const o of ops) {
    const op = o.op.toLowerCase();
    if (!o.path && o.value && typeof o.value === 'object') {
      for (const [k, v] of Object.entries(o.value))
        if (!k.includes('.') && !k.includes(':') && k !== 'id' && k !== 'password') r[k] = k === 'active' ? bool(v) : v;
      continue;
    }
    const path = o.path ?? '';
    if (path === 'active') r.active = bool(o.value);
    else if (path === 'members') {
      const current = (r.members as Array<{ value: string }> | undefined) ?? [];
      const given = (o.value as Array<{ value: string }> | undefined) ?? [];
      if (op === 'replace') r.members = given;
      else if (op === 'add') r.members = [...current, ...given.filter((g) => !current.some((c) => c.value === g.value))];
      else r.members = given.length ? current.filter((c) => !given.some((g) => g.value === c.value)) : [];
    } else if (path.startsWith('members[value eq')) {
      const v = /"([^"]+)"/.exec(path)?.[1];
      r.members = ((r.members as Array<{ value: string }> | undefined) ?? []).filter((c) => c.value !== v);
    } else if (!path.includes('[') && !path.includes('.') && !path.includes(':')) {
      if (op === 'remove') delete r[path];
      else r[path] = o.value;
    }
  }
}

function bool(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() === 'true' : v;
}
