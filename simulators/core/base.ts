import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from './clock.ts';
import { createDirectory, type Directory } from '../directory/directory.ts';
import { createAuth, type AuthConfig } from '../transport/auth.ts';
import { Redactor } from '../transport/redact.ts';
import type { RetryPolicy } from '../transport/retry.ts';
import { type QueryEncoding, Transport, type RequestSpec, type ScimResponse } from '../transport/transport.ts';
import { resourceOf, type ScimResource } from './scim.ts';
import { ScenarioAborted, Session, StepFailed } from './session.ts';
import type { Exchange, Failure, IdpName, Scenario, ScenarioResult } from './types.ts';

export interface TargetConfig {
  scimUrl: string;
  /** Shorthand for `auth: {type: 'bearer', token}`. */
  token?: string;
  auth?: AuthConfig;
}

export interface TransportTuning {
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  connections?: number;
  record?: boolean;
  onExchange?: (e: Exchange) => void;
}

export interface SimulatorOptions<Mode extends string, Extra> {
  target: TargetConfig;
  mode?: Mode;
  seed?: number;
  clock?: Clock;
  /** A ready directory, or the size of the seeded one to generate. */
  directory?: Directory | { users?: number; groups?: number; domain?: string };
  transportOptions?: TransportTuning;
  options?: Partial<Extra>;
}

export interface TransportProfile {
  headers: Record<string, string>;
  contentType: string;
  contentTypeOnGet?: boolean;
  queryEncoding?: QueryEncoding;
  timeoutMs: number;
  retry: RetryPolicy;
}

/** Bookkeeping every IdP keeps: the target ids it learned, the last representation it saw, and its steps. */
export abstract class BaseSimulator<Mode extends string> {
  abstract readonly idp: IdpName;
  /** The IdP's scenario table; `run(name)` carries out a row. */
  abstract readonly scenarios: readonly Scenario<this>[];
  readonly transport: Transport;
  readonly session: Session;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly seed: number;
  /** directory key -> target id, as the IdP stores it after create or link. */
  readonly userIds = new Map<string, string>();
  readonly groupIds = new Map<string, string>();
  /** directory key -> last resource the target returned. */
  readonly lastSeen = new Map<string, ScimResource>();

  protected constructor(
    readonly mode: Mode,
    opts: SimulatorOptions<Mode, unknown>,
    profile: TransportProfile,
    defaultDirectory: { users: number; groups: number },
  ) {
    this.clock = opts.clock ?? systemClock;
    this.seed = opts.seed ?? 1;
    const idp = this.idpName();
    const d = opts.directory;
    this.directory = d && 'people' in d ? d : createDirectory(idp, { seed: this.seed, ...defaultDirectory, ...(d ?? {}) });
    const authConfig: AuthConfig = opts.target.auth ?? { type: 'bearer', token: opts.target.token ?? '' };
    if (authConfig.type === 'bearer' && !authConfig.token) throw new Error('a target token (or another auth option) is required');
    const redactor = new Redactor().add(...this.directory.people.map((p) => p.password));
    const t = opts.transportOptions ?? {};
    this.transport = new Transport({
      baseUrl: opts.target.scimUrl,
      auth: createAuth(authConfig, this.clock),
      headers: profile.headers,
      contentType: profile.contentType,
      ...(profile.contentTypeOnGet ? { contentTypeOnGet: true } : {}),
      ...(profile.queryEncoding ? { queryEncoding: profile.queryEncoding } : {}),
      timeoutMs: t.timeoutMs ?? profile.timeoutMs,
      retry: profile.retry,
      clock: this.clock,
      redactor,
      ...(t.dispatcher ? { dispatcher: t.dispatcher } : {}),
      ...(t.connections ? { connections: t.connections } : {}),
      ...(t.record === false ? { record: false } : {}),
      ...(t.onExchange ? { onExchange: t.onExchange } : {}),
    });
    this.session = new Session(this.transport);
  }

  /** The IdP name before subclass fields exist (needed while constructing the directory). */
  protected abstract idpName(): IdpName;

  /** Words a failure the way this IdP shows it to its admin. */
  protected abstract word(failure: Failure, action: string): string;

  /** Runs one named scenario from a clean step list; a failed step ends it, as the IdP's task would end. */
  async run(name: string): Promise<ScenarioResult> {
    const scenario = this.scenarios.find((s) => s.name === name);
    if (!scenario) {
      throw new Error(`unknown ${this.idp} scenario '${name}' (known: ${this.scenarios.map((s) => s.name).join(', ')})`);
    }
    this.session.reset();
    this.session.abortOnFailure = true;
    try {
      await scenario.run(this);
    } catch (err) {
      if (!(err instanceof ScenarioAborted)) throw err;
    } finally {
      this.session.abortOnFailure = false;
    }
    const steps = [...this.session.steps];
    return { idp: this.idp, scenario: name, mode: this.mode, seed: this.seed, ok: steps.every((s) => s.ok), steps };
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  protected request(spec: RequestSpec): Promise<ScimResponse> {
    return this.transport.request(spec);
  }

  /** Fails the current step with this IdP's wording of what went wrong. */
  protected fail(res: ScimResponse, action: string): never {
    const failure: Failure = res.failure ?? { kind: 'unexpected_response', status: res.status, message: `unexpected HTTP ${res.status}` };
    throw new StepFailed(this.word(failure, action), { status: res.status, failure: failure.kind });
  }

  protected userId(key: string): string {
    const id = this.userIds.get(key);
    if (!id) throw new StepFailed(`${key} is not linked to a target user yet`);
    return id;
  }

  protected groupId(key: string): string {
    const id = this.groupIds.get(key);
    if (!id) throw new StepFailed(`${key} is not linked to a target group yet`);
    return id;
  }

  /** Remembers the resource a 2xx answer carried (PATCH may answer 204 with none). */
  protected remember(key: string, body: unknown): ScimResource | undefined {
    const r = resourceOf(body);
    if (r) this.lastSeen.set(key, r);
    return r;
  }
}
