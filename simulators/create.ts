import type { SimulatorOptions } from './core/base.ts';
import type { IdpName, ScenarioInfo } from './core/types.ts';
import type { z } from 'zod';
import { ENTRA_MODES, ENTRA_SCENARIOS, EntraOptionsSchema, EntraSimulator, type EntraMode, type EntraOptions } from './entra/entra.ts';
import { OKTA_MODES, OKTA_SCENARIOS, OktaOptionsSchema, OktaSimulator, type OktaMode, type OktaOptions } from './okta/okta.ts';
import {
  SAILPOINT_MODES,
  SAILPOINT_SCENARIOS,
  SailPointOptionsSchema,
  SailPointSimulator,
  type SailPointMode,
  type SailPointOptions,
} from './sailpoint/sailpoint.ts';
import { formatIssues } from './core/issues.ts';

export interface IdpInfo {
  idp: IdpName;
  /** The options this IdP takes, each optional; unknown keys are refused. */
  options: z.ZodType<Record<string, unknown>>;
  title: string;
  modes: readonly string[];
  defaultMode: string;
  scenarios: readonly ScenarioInfo[];
}

/** What `--help` and the harness list: every IdP with its modes and scenarios. */
export const IDP_INFO: Record<IdpName, IdpInfo> = {
  okta: { idp: 'okta', options: OktaOptionsSchema, title: 'Okta-style', modes: OKTA_MODES, defaultMode: 'oin', scenarios: OKTA_SCENARIOS },
  entra: { idp: 'entra', options: EntraOptionsSchema, title: 'Entra ID-style', modes: ENTRA_MODES, defaultMode: 'legacy', scenarios: ENTRA_SCENARIOS },
  sailpoint: {
    idp: 'sailpoint',
    options: SailPointOptionsSchema,
    title: 'SailPoint-style',
    modes: SAILPOINT_MODES,
    defaultMode: 'patch',
    scenarios: SAILPOINT_SCENARIOS,
  },
};

export type AnySimulator = OktaSimulator | EntraSimulator | SailPointSimulator;

/** The library entry point: one simulated IdP pointed at a SCIM target. */
export function createSimulator(idp: 'okta', opts: SimulatorOptions<OktaMode, OktaOptions>): OktaSimulator;
export function createSimulator(idp: 'entra', opts: SimulatorOptions<EntraMode, EntraOptions>): EntraSimulator;
export function createSimulator(idp: 'sailpoint', opts: SimulatorOptions<SailPointMode, SailPointOptions>): SailPointSimulator;
export function createSimulator(idp: IdpName, opts: SimulatorOptions<string, Record<string, unknown>>): AnySimulator;
export function createSimulator(idp: IdpName, opts: SimulatorOptions<string, Record<string, unknown>>): AnySimulator {
  const info = IDP_INFO[idp];
  if (!info) throw new Error(`unknown IdP '${String(idp)}' (known: okta, entra, sailpoint)`);
  if (opts.mode !== undefined && !info.modes.includes(opts.mode)) {
    throw new Error(`unknown ${idp} mode '${opts.mode}' (known: ${info.modes.join(', ')})`);
  }
  const checked = info.options.safeParse(opts.options ?? {});
  if (!checked.success) {
    throw new Error(`invalid ${idp} options: ${formatIssues(checked.error, { root: '(options)' })}`);
  }
  switch (idp) {
    case 'okta':
      return new OktaSimulator(opts as SimulatorOptions<OktaMode, OktaOptions>);
    case 'entra':
      return new EntraSimulator(opts as SimulatorOptions<EntraMode, EntraOptions>);
    case 'sailpoint':
      return new SailPointSimulator(opts as SimulatorOptions<SailPointMode, SailPointOptions>);
  }
}
