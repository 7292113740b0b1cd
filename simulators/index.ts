/** The simulators as a library: `createSimulator(idp, {target, mode, seed, clock, transportOptions})`. */
export { IDP_INFO, createSimulator, type AnySimulator, type IdpInfo } from './create.ts';
export type { SimulatorOptions, TargetConfig, TransportTuning } from './core/base.ts';
export type { Exchange, Failure, FailureKind, IdpName, ProvisioningLog, ScenarioInfo, ScenarioResult, Step } from './core/types.ts';
export { ManualClock, systemClock, type Clock } from './core/clock.ts';
export { createDirectory, type Directory, type DirectoryGroup, type Person } from './directory/directory.ts';
export type { AuthConfig } from './transport/auth.ts';
export { OktaSimulator, type OktaMode, type OktaOptions } from './okta/okta.ts';
export { EntraSimulator, renamedUpn, type EntraChange, type EntraMode, type EntraOptions } from './entra/entra.ts';
export { SailPointSimulator, type SailPointMode, type SailPointOptions } from './sailpoint/sailpoint.ts';
export { startSsoProvider, type SsoClient, type SsoProvider, type SsoProviderOptions } from './sso/provider.ts';
export { runLoad, type LoadOptions, type LoadReport } from './load/load.ts';
