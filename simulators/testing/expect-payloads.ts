import { readFileSync } from 'node:fs';
import { deepStrictEqual } from 'node:assert/strict';
import type { ReceivedCall } from './fake-scim.ts';

/** One hand-written request in fixtures/payloads/<idp>/<idp>.json. */
export interface ExpectedCall {
  source?: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface PayloadFile {
  /** Words that differ per mode only in spelling (Entra's op casing), written out per mode in the file. */
  modeVars?: Record<string, Record<string, string>>;
  requests: Record<string, ExpectedCall>;
  sequences?: Record<string, string[]>;
  scenarios: Record<string, Record<string, string[]>>;
}

const root = new URL('../../fixtures/payloads/', import.meta.url);

export function loadPayloads(idp: string): PayloadFile {
  return JSON.parse(readFileSync(new URL(`${idp}/${idp}.json`, root), 'utf8')) as PayloadFile;
}

/**
 * The expected calls of one scenario in one mode. Items are `request-name k=v ...` (binding `u=user1` makes
 * `{{u.x}}` read `{{user1.x}}`) or `@sequence-name`.
 */
export function expectedCalls(file: PayloadFile, scenario: string, mode: string, vars: Record<string, string>): ExpectedCall[] {
  const list = file.scenarios[scenario]?.[mode];
  if (!list) throw new Error(`no expected payloads for ${scenario}/${mode}`);
  return expand(file, list, { ...vars, ...(file.modeVars?.[mode] ?? {}) });
}

function expand(file: PayloadFile, items: string[], vars: Record<string, string>): ExpectedCall[] {
  return items.flatMap((item) => {
    if (item.startsWith('@')) {
      const seq = file.sequences?.[item.slice(1)];
      if (!seq) throw new Error(`no sequence ${item}`);
      return expand(file, seq, vars);
    }
    const [name = '', ...bindings] = item.split(/\s+/);
    const req = file.requests[name];
    if (!req) throw new Error(`no request '${name}' in the payload file`);
    const local: Record<string, string> = { ...vars };
    for (const b of bindings) {
      const [k = '', v = ''] = b.split('=');
      const prefix = `${v}.`;
      let aliased = false;
      for (const [vk, vv] of Object.entries(vars)) {
        if (vk.startsWith(prefix)) {
          local[`${k}.${vk.slice(prefix.length)}`] = vv;
          aliased = true;
        }
      }
      if (!aliased) local[k] = v;
    }
    return [
      {
        method: req.method,
        path: fill(req.path, local, true) as string,
        ...(req.body !== undefined ? { body: fill(req.body, local) } : {}),
        ...(req.headers ? { headers: fill(req.headers, local) as Record<string, string> } : {}),
      },
    ];
  });
}

export const ANY = Symbol('any');

/**
 * Fills `{{var}}` placeholders (URL-encoded inside paths). A string that is exactly `{{any}}` matches any value;
 * exactly `{{json:var}}` becomes the JSON value of var (booleans, numbers).
 */
export function fill(value: unknown, vars: Record<string, string>, encode = false): unknown {
  if (typeof value === 'string') {
    if (value === '{{any}}') return ANY;
    const typed = /^\{\{json:([\w.]+)\}\}$/.exec(value);
    if (typed) return JSON.parse(lookup(vars, typed[1] as string));
    return value.replace(/\{\{([\w.]+)\}\}/g, (_, name: string) => (encode ? encodeURIComponent(lookup(vars, name)) : lookup(vars, name)));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars, encode));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars, encode)]));
  return value;
}

function lookup(vars: Record<string, string>, name: string): string {
  const v = vars[name];
  if (v === undefined) throw new Error(`payload placeholder {{${name}}} has no value`);
  return v;
}

function maskAny(expected: unknown, actual: unknown): unknown {
  if (expected === ANY) return actual === undefined ? undefined : ANY;
  if (Array.isArray(expected) && Array.isArray(actual)) return actual.map((a, i) => maskAny(expected[i], a));
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object' && !Array.isArray(actual)) {
    return Object.fromEntries(Object.entries(actual).map(([k, v]) => [k, maskAny((expected as Record<string, unknown>)[k], v)]));
  }
  return actual;
}

/** Asserts the exact request sequence: method and raw path with query, body, and the headers a fixture lists. */
export function assertCalls(calls: ReceivedCall[], expected: ExpectedCall[]): void {
  const lines = (xs: Array<{ method: string; path: string }>) => xs.map((x) => `${x.method} ${safeDecode(x.path)}`);
  deepStrictEqual(lines(calls), lines(expected), 'request sequence differs');
  calls.forEach((call, i) => {
    const e = expected[i] as ExpectedCall;
    const where = `call ${i + 1} (${call.method} ${safeDecode(call.path)})`;
    deepStrictEqual(call.path, e.path, `raw path and query encoding of ${where}`);
    deepStrictEqual(maskAny(e.body ?? null, call.body), e.body ?? null, `body of ${where}`);
    for (const [k, v] of Object.entries(e.headers ?? {})) deepStrictEqual(call.headers[k.toLowerCase()], v, `header ${k} of ${where}`);
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Template variables for a directory snapshot: `user1.userName`, `group1.displayName`, ... plus target ids. */
export function directoryVars(
  dir: { people: ReadonlyArray<{ key: string }>; groups: ReadonlyArray<{ key: string }> },
  ids: Record<string, string>,
): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const x of [...dir.people, ...dir.groups]) {
    for (const [k, v] of Object.entries(x)) if (typeof v === 'string') vars[`${x.key}.${k}`] = v;
  }
  for (const [k, v] of Object.entries(ids)) vars[`${k}.id`] = v;
  return vars;
}
