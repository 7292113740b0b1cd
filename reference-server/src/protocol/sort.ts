/**
 * `sortBy` / `sortOrder` (RFC 7644 §3.4.2.3) to an ORDER BY body for the store. Strings sort by the attribute's
 * case rule (caseExact=false sorts caselessly); a multi-valued attribute sorts by its primary value, else its
 * first; resources without a value sort last in either order. The store appends `id`, so pages are stable.
 */
import { ScimError } from '../errors.ts';
import { formatPath, resolvePath, sameName, splitPath, type ResolvedAttr, type ResourceKind } from './attributes.ts';
import { jsonPath, sqlString, type SqlFragment } from './filter/sql.ts';
import type { TableDescriptor } from './filter/tables.ts';

export type SortOrder = 'ascending' | 'descending';

export interface SortSpec {
  r: ResolvedAttr;
  order: SortOrder;
  /** As written, for messages. */
  text: string;
}

/** Undefined when no `sortBy` is given; 400 invalidValue for names the schemas do not define or a bad sortOrder. */
export function parseSort(kind: ResourceKind, sortBy: string | undefined, sortOrder?: string): SortSpec | undefined {
  let order: SortOrder = 'ascending';
  if (sortOrder !== undefined && sortOrder !== '') {
    const o = sortOrder.toLowerCase();
    if (o !== 'ascending' && o !== 'descending') throw new ScimError('invalidValue', `sortOrder must be ascending or descending, not '${sortOrder}'`);
    order = o;
  }
  if (sortBy === undefined || sortBy.trim() === '') return undefined;
  const p = splitPath(sortBy.trim());
  const r = p && resolvePath(kind, p);
  if (!r) throw new ScimError('invalidValue', `sortBy: no attribute '${sortBy}' in the ${kind} schemas`);
  const leaf = r.sub ?? r.def;
  if (leaf.returned === 'never') throw new ScimError('invalidValue', `sortBy: '${sortBy}' is never returned and cannot be sorted on`);
  if (leaf.type === 'complex' && !r.def.subAttributes?.some((s) => s.name === 'value')) {
    throw new ScimError('invalidValue', `sortBy: '${sortBy}' is a complex attribute; name one of its sub-attributes`);
  }
  return { r, order, text: formatPath(p) };
}

/** The sort key expression, or undefined when every resource has the same key. */
function keyExpression(spec: SortSpec, table: TableDescriptor, alias: string): string | undefined {
  const { r } = spec;
  const col = (name: string) => `${alias}.${name}`;
  if (!r.extension && sameName(r.def.name, table.membership)) {
    throw new ScimError('invalidValue', `sortBy: cannot sort by ${r.def.name}`);
  }
  if (!r.extension && sameName(r.def.name, 'schemas')) return undefined;
  if (!r.extension && sameName(r.def.name, 'meta') && (!r.sub || sameName(r.sub.name, 'resourceType') || sameName(r.sub.name, 'location'))) {
    // meta.location follows the id, which the store's tie-break already orders by.
    return r.sub && sameName(r.sub.name, 'location') ? col('id') : undefined;
  }
  const path = r.sub ? `${r.def.name}.${r.sub.name}` : r.def.name;
  const c = r.extension ? undefined : table.columns.find((x) => sameName(x.path, path));
  const leaf = r.sub ?? r.def;
  if (c) {
    if (c.foldedColumn) return col(c.foldedColumn);
    return !c.caseExact && c.type === 'string' ? `lower(${col(c.column)})` : col(c.column);
  }
  const data = col(table.dataColumn);
  const caseless = (expr: string, caseExact: boolean, type: string) => (!caseExact && (type === 'string' || type === 'reference') ? `lower(${expr})` : expr);
  if (r.def.multiValued) {
    const sub = r.sub ?? r.def.subAttributes?.find((s) => s.name === 'value');
    const j = 'sort_j';
    const v = sub ? `json_extract(${j}.value, ${sqlString(`$.${sub.name}`)})` : `${j}.atom`;
    const isObject = `${j}.type = 'object'`;
    const primaryFirst = `(CASE WHEN ${isObject} THEN coalesce(json_type(${j}.value, '$.primary') = 'true', 0) ELSE 0 END) DESC, ${j}.key`;
    const pick = sub ? `CASE WHEN ${isObject} THEN ${v} END` : v;
    return caseless(`(SELECT ${pick} FROM json_each(${data}, ${sqlString(jsonPath(r))}) AS ${j} ORDER BY ${primaryFirst} LIMIT 1)`, leaf.caseExact, leaf.type);
  }
  const target = r.def.type === 'complex' && !r.sub ? r.def.subAttributes!.find((s) => s.name === 'value')!.name : r.sub?.name;
  return caseless(`json_extract(${data}, ${sqlString(jsonPath(r, target))})`, leaf.caseExact, leaf.type);
}

/** ORDER BY body (without `ORDER BY`); missing values last. Paths come from the schema, so there are no parameters. */
export function sortToSql(spec: SortSpec, table: TableDescriptor, opts: { alias?: string } = {}): SqlFragment | undefined {
  const key = keyExpression(spec, table, opts.alias ?? table.table);
  if (!key) return undefined;
  const dir = spec.order === 'descending' ? 'DESC' : 'ASC';
  return { sql: `(${key}) IS NULL, ${key} ${dir}`, params: [] };
}
