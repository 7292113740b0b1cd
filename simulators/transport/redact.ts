/** Secret scrubbing for transcripts: headers by name, body fields by key, and any known secret value anywhere. */

export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key']);
const SECRET_PATH = /(^|[.:])password$/i;
const SECRET_KEYS = /^(password|passwd|secret|client_secret|clientsecret|access_token|refresh_token|id_token|token|api_?key|authorization)$/i;

export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a value that must never appear (tokens, passwords, client secrets). Very short values are ignored. */
  add(...secrets: Array<string | undefined>): this {
    for (const s of secrets) if (s && s.length >= 4) this.values.add(s);
    return this;
  }

  text(s: string): string {
    let out = s;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }

  headers(h: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? redactAuthValue(v) : this.text(v);
    return out;
  }

  body(b: unknown): unknown {
    if (typeof b === 'string') return this.text(b);
    if (Array.isArray(b)) return b.map((x) => this.body(x));
    if (b && typeof b === 'object') {
      const out: Record<string, unknown> = {};
      // a PATCH op whose path names a secret carries it in `value`: {"op":"replace","path":"password","value":"…"}
      const secretPath = typeof (b as { path?: unknown }).path === 'string' && SECRET_PATH.test((b as { path: string }).path);
      for (const [k, v] of Object.entries(b)) {
        const secret = (SECRET_KEYS.test(k) || (secretPath && k === 'value')) && v !== null && v !== undefined;
        out[k] = secret ? REDACTED : this.body(v);
      }
      return out;
    }
    return b;
  }
}

/** Keeps the scheme so a reader can still see how the client authenticated ("Bearer [REDACTED]"). */
function redactAuthValue(v: string): string {
  const m = /^(Bearer|Basic|SSWS|Token)\s+/i.exec(v);
  return m ? `${m[1]} ${REDACTED}` : REDACTED;
}
