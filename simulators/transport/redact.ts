/**
 * The one secret scrubber for everything the harness writes down: simulator transcripts, the ScimClient's
 * exchanges, report attachments and CLI output (harness/redact.ts re-exports it with its own mask). It masks
 * - credentials in headers, keeping the scheme (`Bearer [REDACTED]`);
 * - JSON fields whose key names a secret (password, token, client_secret, apiKey, ...), at any depth;
 * - the `value` of a PATCH operation whose `path` is a password (`{"op":"replace","path":"password","value":...}`);
 * - secrets in text: URL query strings and form posts (`access_token=...`, `password=...`), JSON text with secret
 *   keys, filters comparing the password with a literal, `Bearer`/`Basic`/`SSWS` credentials, and every known secret
 *   value registered by the caller.
 */

export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-csrf-token']);
const SECRET_NAMES =
  'password|passwd|new_?password|current_?password|secret|client_?secret|access_?token|refresh_?token|id_?token|token|api_?key|admin_?api_?key|authorization|code_verifier|private_?key|client_assertion';
const SECRET_KEYS = new RegExp(`^(${SECRET_NAMES})$`, 'i');
/** A PATCH path naming the password: `password`, `urn:...:User:password`. */
const SECRET_PATH = /(^|[.:])password$/i;
/** `name=value` in a query string or form body, also percent-encoded into a path (`%3Faccess_token=`). */
const SECRET_PARAM = new RegExp(`((?:^|[?&;\\s"']|%3F|%26)(?:${SECRET_NAMES})(?:=|%3D))(?:(?!%26)[^&#\\s"'])*`, 'gi');
/** JSON text, raw or itself inside a JSON string (`\"`): a quote, and a string's content up to its closing quote. */
const Q = '\\\\?"';
const CONTENT = '(?:[^"\\\\]|\\\\[^"\\\\]|\\\\\\\\)*';
/** `"name": "value"` inside JSON text (raw or truncated bodies). */
const SECRET_JSON_TEXT = new RegExp(`(${Q}(?:${SECRET_NAMES})${Q}\\s*:\\s*${Q})${CONTENT}(?=${Q})`, 'gi');
/** A password PATCH operation inside JSON text, in either key order. */
const PASSWORD_PATH = `${Q}path${Q}\\s*:\\s*${Q}(?:[^"\\\\]*[.:])?password${Q}`;
const PASSWORD_OP_TEXT = new RegExp(`(${PASSWORD_PATH}\\s*,\\s*${Q}value${Q}\\s*:\\s*${Q})${CONTENT}(?=${Q})`, 'gi');
const PASSWORD_OP_TEXT_REVERSED = new RegExp(`(${Q}value${Q}\\s*:\\s*${Q})${CONTENT}(?=${Q}\\s*,\\s*${PASSWORD_PATH})`, 'gi');
/** A filter comparing the password with a literal (`password eq "..."`, also `+`/`%20`-encoded): the literal is one. */
const PASSWORD_FILTER =
  /((?:^|[^A-Za-z0-9_])(?:[\w.:]*[.:])?password(?:\s|\+|%20)+(?:eq|ne|co|sw|ew|gt|ge|lt|le)(?:\s|\+|%20)+(?:\\?"|%22))(?:(?!%22|\\?").)*/gi;
/** Credentials written out in text: `Bearer abc...`. Short words ("Bearer token") are left alone. */
const CREDENTIAL_TEXT = /\b(Bearer|Basic|SSWS)\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** Walks deeper than this are cut: a hostile target's response cannot overflow the stack of the harness. */
const MAX_DEPTH = 200;

/** Replaces every known secret value and every secret-shaped fragment in a string. */
export function maskString(text: string, secrets: readonly string[] = [], mask: string = REDACTED): string {
  let out = text;
  for (const s of secrets) if (s && out.includes(s)) out = out.split(s).join(mask);
  return out
    .replace(SECRET_PARAM, (_m, name: string) => `${name}${mask}`)
    .replace(SECRET_JSON_TEXT, (_m, head: string) => `${head}${mask}`)
    .replace(PASSWORD_OP_TEXT, (_m, head: string) => `${head}${mask}`)
    .replace(PASSWORD_OP_TEXT_REVERSED, (_m, head: string) => `${head}${mask}`)
    .replace(PASSWORD_FILTER, (_m, head: string) => `${head}${mask}`)
    .replace(CREDENTIAL_TEXT, (_m, scheme: string) => `${scheme} ${mask}`);
}

/** Deep copy with secret-named fields and password PATCH values masked, and strings scrubbed by maskString. */
export function redactJson(value: unknown, secrets: readonly string[] = [], mask: string = REDACTED, depth = 0): unknown {
  if (typeof value === 'string') return maskString(value, secrets, mask);
  if (depth > MAX_DEPTH && value && typeof value === 'object') return `[nested deeper than ${MAX_DEPTH} levels: omitted]`;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, secrets, mask, depth + 1));
  if (value && typeof value === 'object') {
    const path = (value as { path?: unknown }).path;
    const secretPath = typeof path === 'string' && SECRET_PATH.test(path);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const secret = (SECRET_KEYS.test(k) || (secretPath && k.toLowerCase() === 'value')) && v !== null && v !== undefined;
      Object.defineProperty(out, k, { value: secret ? mask : redactJson(v, secrets, mask, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Keeps the scheme so a reader can still see how the client authenticated ("Bearer [REDACTED]"). */
function redactAuthValue(v: string, mask: string): string {
  const m = /^(Bearer|Basic|SSWS|Token)\s+/i.exec(v);
  return m ? `${m[1]} ${mask}` : mask;
}

/** Header map with credentials reduced to their scheme and known secrets masked elsewhere. */
export function redactHeaders(headers: Record<string, string>, secrets: readonly string[] = [], mask: string = REDACTED): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? redactAuthValue(v, mask) : maskString(v, secrets, mask);
  return out;
}

/** The simulators' stateful form: secrets are registered as they appear (tokens, passwords, client secrets). */
export class Redactor {
  private readonly values = new Set<string>();

  constructor(private readonly mask: string = REDACTED) {}

  /** Registers a value that must never appear. Very short values are ignored (they would mask ordinary text). */
  add(...secrets: Array<string | undefined>): this {
    for (const s of secrets) if (s && s.length >= 4) this.values.add(s);
    return this;
  }

  text(s: string): string {
    return maskString(s, [...this.values], this.mask);
  }

  headers(h: Record<string, string>): Record<string, string> {
    return redactHeaders(h, [...this.values], this.mask);
  }

  body(b: unknown): unknown {
    return redactJson(b, [...this.values], this.mask);
  }
}
