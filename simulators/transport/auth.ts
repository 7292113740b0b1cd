import { z } from 'zod';
import type { Clock } from '../core/clock.ts';

/** How a simulator authenticates: the options each IdP offers its admin (docs/idp-patterns.md §2.2, §3.2, §4.2). */
export type AuthConfig =
  | { type: 'bearer'; token: string }
  /** Okta "HTTP Header" auth: the admin types the whole header value, with or without a prefix. */
  | { type: 'header'; value: string; name?: string }
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'oauth2-client-credentials';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      /** SailPoint sends client credentials either as HTTP Basic or in the form body. */
      clientAuth?: 'basic' | 'body';
      scope?: string;
    }
  | { type: 'none'; headers?: Record<string, string> };

/** Performs the token request through the transport so it lands in the transcript too. */
export type TokenPost = (url: string, headers: Record<string, string>, form: string) => Promise<{ status: number; body: unknown }>;

export interface AuthProvider {
  readonly type: AuthConfig['type'];
  headers(post: TokenPost): Promise<Record<string, string>>;
  /** Called after a 401: a provider that can get a fresh credential drops the cached one and says so. */
  invalidate(): boolean;
  secrets(): string[];
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

export function createAuth(config: AuthConfig, clock: Clock): AuthProvider {
  switch (config.type) {
    case 'bearer':
      return staticAuth('bearer', { authorization: `Bearer ${config.token}` }, [config.token]);
    case 'header':
      return staticAuth('header', { [config.name ?? 'authorization']: config.value }, [config.value]);
    case 'basic': {
      const encoded = Buffer.from(`${config.username}:${config.password}`).toString('base64');
      return staticAuth('basic', { authorization: `Basic ${encoded}` }, [config.password, encoded]);
    }
    case 'none':
      return staticAuth('none', config.headers ?? {}, []);
    case 'oauth2-client-credentials':
      return new ClientCredentialsAuth(config, clock);
  }
}

function staticAuth(type: AuthConfig['type'], headers: Record<string, string>, secrets: string[]): AuthProvider {
  return { type, headers: async () => headers, invalidate: () => false, secrets: () => secrets };
}

type ClientCredentialsConfig = Extract<AuthConfig, { type: 'oauth2-client-credentials' }>;

/** OAuth 2.0 client credentials: fetch a token, reuse it until it expires or the target answers 401. */
class ClientCredentialsAuth implements AuthProvider {
  readonly type = 'oauth2-client-credentials' as const;
  private token: { value: string; expiresAt: number } | undefined;
  private readonly issued: string[] = [];

  constructor(
    private readonly config: ClientCredentialsConfig,
    private readonly clock: Clock,
  ) {}

  async headers(post: TokenPost): Promise<Record<string, string>> {
    if (!this.token || this.clock.now() >= this.token.expiresAt) this.token = await this.fetchToken(post);
    return { authorization: `Bearer ${this.token.value}` };
  }

  invalidate(): boolean {
    const had = this.token !== undefined;
    this.token = undefined;
    return had;
  }

  secrets(): string[] {
    return [this.config.clientSecret, ...this.issued];
  }

  private async fetchToken(post: TokenPost): Promise<{ value: string; expiresAt: number }> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.config.scope) form.set('scope', this.config.scope);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if ((this.config.clientAuth ?? 'basic') === 'basic') {
      const id = encodeURIComponent(this.config.clientId);
      const secret = encodeURIComponent(this.config.clientSecret);
      headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    } else {
      form.set('client_id', this.config.clientId);
      form.set('client_secret', this.config.clientSecret);
    }
    const res = await post(this.config.tokenUrl, headers, form.toString());
    if (res.status !== 200) throw new AuthError(`token endpoint ${this.config.tokenUrl} answered ${res.status}`);
    const parsed = TokenResponse.safeParse(res.body);
    if (!parsed.success) throw new AuthError(`token endpoint ${this.config.tokenUrl} returned no usable access_token`);
    this.issued.push(parsed.data.access_token);
    // renew a little early so a token never expires in flight
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    return { value: parsed.data.access_token, expiresAt: this.clock.now() + Math.max(0, lifetimeMs - 30_000) };
  }
}
