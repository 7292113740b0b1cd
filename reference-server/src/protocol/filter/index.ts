/**
 * RFC 7644 §3.4.2.2 filters: `parseFilter` (throws ScimError invalidFilter), `matchesFilter` (in memory, on a
 * resource's JSON) and `filterToSql` (a parameterised WHERE fragment for USERS_TABLE / GROUPS_TABLE).
 * Semantics shared by both engines are documented in docs/decisions/0003-protocol-engines.md.
 */
export type { CompareOp, FilterNode, Literal } from './ast.ts';
export { parseFilter, MAX_DEPTH, MAX_TERMS } from './parser.ts';
export { matchesFilter, evalElement, type MatchOptions } from './evaluate.ts';
export { filterToSql, jsonPath, type SqlFragment, type SqlOptions } from './sql.ts';
export { USERS_TABLE, GROUPS_TABLE, tableFor, type TableDescriptor, type ColumnAttribute, type ColumnEncoding } from './tables.ts';
export type { FilterOptions } from './typing.ts';
