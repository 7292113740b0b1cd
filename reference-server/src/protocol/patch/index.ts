/**
 * RFC 7644 §3.5.2 PATCH: `applyPatch(resource, body, ctx)` validates the PatchOp envelope, applies the operations
 * atomically to a copy of the resource JSON and returns Group member changes as a delta for the store.
 */
export { applyPatch, attributeName, Patcher, type PatchContext, type PatchEngineOptions, type PatchResult } from './apply.ts';
export { parsePatchRequest, PATCH_OP_SCHEMA, type PatchOperation, type PatchOpName } from './request.ts';
export { parsePatchPath, type PatchPath } from './path.ts';
export type { MemberRef, MemberView, MembershipDelta } from './members.ts';
