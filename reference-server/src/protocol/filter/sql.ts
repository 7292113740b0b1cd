/**
 * Compiles a filter to a parameterised SQLite WHERE fragment over a table descriptor (see tables.ts), so lists are
 * answered by SQLite with indexes where the layout has them. Client values only ever travel as bound parameters;
 * JSON paths and column names come from the schema and the descriptor. Every predicate evaluates to 0 or 1 (never
 * NULL), so `not (...)` means exactly what `matchesFilter` means.
 */
import type { AttributeDefinition } from '../../schema/types.ts';
import { CORE_URN, ENTERPRISE_SCHEMA, findSub, formatPath, sameName, type AttrPath, type ResolvedAttr } from '../attributes.ts';
import type { CompareOp, FilterNode, Literal } from './ast.ts';
import { invalidFilter } from './lexer.ts';
import type { ColumnAttribute, TableDescriptor } from './tables.ts';
import { asciiLower, checkLiteral, compareScalar, fold, foldFor, resolveInner, resolveTarget, type FilterOptions, type Fold } from './typing.ts';

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export interface SqlOptions extends FilterOptions {
  /** The name the store's query gives the table (default: the table name). */
  alias?: string;
}

/** A readable value: a column (or JSON atom) with an optional type expression for JSON values. */
type Source =
  | { kind: 'column'; value: string; encoding: ColumnAttribute['encoding']; folded?: string }
  | { kind: 'json'; value: string; type: string }
  | { kind: 'const'; value: string };

/** Reads sub-attributes of the current element of a complex attribute. */
type ElementReader = (sub: AttributeDefinition, written: string) => Source;

const SQL_TRUE = '1';
const SQL_FALSE = '0';

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** `$.name.givenName` or `$."urn:...:User".manager`, from schema names only. */
export function jsonPath(r: Pick<ResolvedAttr, 'def' | 'extension'>, sub?: string): string {
  const seg = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `."${name}"`);
  return `$${r.extension ? seg(r.extension) : ''}${seg(r.def.name)}${sub ? seg(sub) : ''}`;
}

class Compiler {
  readonly params: unknown[] = [];
  private n = 0;

  constructor(
    private readonly table: TableDescriptor,
    private readonly alias: string,
    private readonly opts: FilterOptions,
  ) {}

  private col(name: string): string {
    return `${this.alias}.${name}`;
  }

  private fresh(prefix: string): string {
    return `${prefix}${++this.n}`;
  }

  private param(v: unknown): string {
    this.params.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return '?';
  }

  top(node: FilterNode): string {
    switch (node.kind) {
      case 'and':
        return `(${node.operands.map((n) => this.top(n)).join(' AND ')})`;
      case 'or':
        return `(${node.operands.map((n) => this.top(n)).join(' OR ')})`;
      case 'not':
        return `(NOT ${this.top(node.operand)})`;
      case 'present':
        return this.presentTop(node.path);
      case 'compare':
        return this.compareTop(node.path, node.op, node.value);
      case 'valuePath':
        return this.valuePathTop(node.path, node.filter);
    }
  }

  private columnFor(r: ResolvedAttr): ColumnAttribute | undefined {
    if (r.extension) return undefined;
    const path = r.sub ? `${r.def.name}.${r.sub.name}` : r.def.name;
    return this.table.columns.find((c) => sameName(c.path, path));
  }

  private isMembership(r: ResolvedAttr): boolean {
    return !r.extension && sameName(r.def.name, this.table.membership);
  }

  private columnSource(c: ColumnAttribute): Source {
    const s: Source = { kind: 'column', value: this.col(c.column), encoding: c.encoding };
    if (c.foldedColumn) s.folded = this.col(c.foldedColumn);
    return s;
  }

  private jsonSource(base: string, path: string): Source {
    return { kind: 'json', value: `json_extract(${base}, ${sqlString(path)})`, type: `json_type(${base}, ${sqlString(path)})` };
  }

  private presentTop(path: AttrPath): string {
    const t = resolveTarget(this.table.kind, path, 'pr');
    if (!t) return SQL_FALSE;
    const { r } = t;
    if (sameName(r.def.name, 'schemas') && !r.extension) return SQL_TRUE;
    if (this.isMembership(r)) return this.membershipExists(r.sub ? (read) => this.present(read(r.sub!, formatPath(path))) : () => SQL_TRUE);
    const c = this.columnFor(r);
    if (c) return this.present(this.columnSource(c));
    if (!r.extension && sameName(r.def.name, 'meta')) return this.metaPresent(r);
    const data = this.col(this.table.dataColumn);
    if (r.def.multiValued) {
      const j = this.fresh('j');
      const cond = r.sub
        ? `CASE WHEN ${j}.type = 'object' THEN ${this.present(this.jsonSource(`${j}.value`, `$.${r.sub.name}`))} ELSE 0 END`
        : `CASE WHEN ${j}.type = 'object' THEN ${this.objectHasMember(`${j}.value`, '$')} ELSE ${this.atomPresent(j)} END`;
      return `EXISTS (SELECT 1 FROM json_each(${data}, ${sqlString(jsonPath(r))}) AS ${j} WHERE ${cond})`;
    }
    if (r.sub) return this.present(this.jsonSource(data, jsonPath(r, r.sub.name)));
    if (r.def.type === 'complex') return this.objectHasMember(data, jsonPath(r));
    return this.present(this.jsonSource(data, jsonPath(r)));
  }

  private metaPresent(r: ResolvedAttr): string {
    if (!r.sub || sameName(r.sub.name, 'resourceType')) return SQL_TRUE;
    throw invalidFilter(`'meta.${r.sub.name}' cannot be filtered on`);
  }

  private atomPresent(j: string): string {
    return `(${j}.type <> 'null' AND NOT (${j}.type = 'text' AND ${j}.atom = ''))`;
  }

  /** A JSON value with at least one member (or, for a scalar, itself) that is not null or an empty string. */
  private objectHasMember(base: string, path: string): string {
    const k = this.fresh('k');
    return `EXISTS (SELECT 1 FROM json_each(${base}, ${sqlString(path)}) AS ${k} WHERE ${this.atomPresent(k)})`;
  }

  private present(s: Source): string {
    if (s.kind === 'const') return s.value === "''" ? SQL_FALSE : SQL_TRUE;
    if (s.kind === 'column') return `coalesce(${s.value} IS NOT NULL AND ${s.value} <> '', 0)`;
    return `coalesce(${s.type} <> 'null' AND NOT (${s.type} = 'text' AND ${s.value} = ''), 0)`;
  }

  private compareTop(path: AttrPath, op: CompareOp, value: Literal): string {
    const t = resolveTarget(this.table.kind, path, op);
    if (!t) return op === 'ne' ? SQL_TRUE : SQL_FALSE;
    const written = formatPath(path);
    const lit = checkLiteral(t.leaf, op, value, written);
    if (lit === null) {
      // `eq null` is "no value present" across all values of the attribute, as in matchesFilter.
      const present = this.presentTop(t.subName && !path.sub ? { ...path, sub: t.subName } : path);
      return op === 'eq' ? `(NOT ${present})` : present;
    }
    if (op === 'ne') return `(NOT ${this.compareResolved(t.r, t.leaf, t.subName, 'eq', lit, written, foldFor(t, this.opts))})`;
    return this.compareResolved(t.r, t.leaf, t.subName, op, lit, written, foldFor(t, this.opts));
  }

  private compareResolved(
    r: ResolvedAttr,
    leaf: AttributeDefinition,
    subName: string | undefined,
    op: CompareOp,
    lit: Literal,
    written: string,
    mode: Fold,
  ): string {
    if (!r.extension && sameName(r.def.name, 'schemas')) return this.schemasCompare(leaf, op, lit);
    if (this.isMembership(r)) {
      return this.membershipExists((read) => this.compare(read(findSub(r.def, subName!)!, written), leaf, op, lit, mode));
    }
    const c = this.columnFor(r);
    if (c) return this.compare(this.columnSource(c), leaf, op, lit, mode);
    if (!r.extension && sameName(r.def.name, 'meta')) {
      if (r.sub && sameName(r.sub.name, 'resourceType')) return this.compare({ kind: 'const', value: sqlString(this.table.kind) }, leaf, op, lit, mode);
      throw invalidFilter(`'${written}' cannot be filtered on`);
    }
    const data = this.col(this.table.dataColumn);
    const pre = this.indexedValue(r, subName, op, lit, mode) ?? this.dataContains(leaf, op, lit);
    let cond: string;
    if (r.def.multiValued) {
      const j = this.fresh('j');
      const each = subName
        ? `CASE WHEN ${j}.type = 'object' THEN ${this.compare(this.jsonSource(`${j}.value`, `$.${subName}`), leaf, op, lit, mode)} ELSE 0 END`
        : this.compare({ kind: 'json', value: `${j}.atom`, type: `${j}.type` }, leaf, op, lit, mode);
      cond = `EXISTS (SELECT 1 FROM json_each(${data}, ${sqlString(jsonPath(r))}) AS ${j} WHERE ${each})`;
    } else {
      cond = this.compare(this.jsonSource(data, jsonPath(r, subName)), leaf, op, lit, mode);
    }
    return pre ? `(${pre} AND ${cond})` : cond;
  }

  /**
   * A cheap necessary condition for a JSON string comparison: the row's JSON text contains the literal (LIKE folds
   * ASCII case, as the comparison does). SQLite then runs json_each only on the few rows that pass, which makes
   * Entra's `emails[type eq "work"].value eq "x"` several times faster. Only for literals that JSON text holds
   * verbatim (no quote, backslash, control or surrogate characters).
   */
  private dataContains(leaf: AttributeDefinition, op: CompareOp, lit: Literal): string | undefined {
    if (!prefilterable(leaf, op, lit)) return undefined;
    return `${this.col(this.table.dataColumn)} LIKE ${this.param(`%${(lit as string).replace(/[%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`;
  }

  /**
   * A necessary condition answered by an index (tables.ts `valueIndexes`): the resource has an element whose
   * sub-attribute, ASCII-lowercased, equals the lowercased literal. The exact comparison still follows it.
   * Not for `unicode` folding (userName), where toLowerCase() equality does not imply ASCII-lower equality.
   */
  private indexedValue(r: ResolvedAttr, subName: string | undefined, op: CompareOp, lit: Literal, mode: Fold): string | undefined {
    if (op !== 'eq' || typeof lit !== 'string' || mode === 'unicode' || r.extension || !subName) return undefined;
    const index = this.table.valueIndexes?.find((v) => sameName(v.path, `${r.def.name}.${subName}`));
    if (!index) return undefined;
    return `${this.col('id')} IN (SELECT ${index.idColumn} FROM ${index.table} WHERE ${index.valueColumn} = ${this.param(asciiLower(lit))})`;
  }

  /** `indexedValue` for a value filter: the first `sub eq "literal"` of its top-level conjunction that has an index. */
  private innerIndexed(node: FilterNode, r: ResolvedAttr): string | undefined {
    const terms = node.kind === 'and' ? node.operands : [node];
    for (const t of terms) {
      if (t.kind !== 'compare' || t.path.schema !== undefined || t.path.sub !== undefined) continue;
      const sub = findSub(r.def, t.path.attr);
      if (!sub || sub.returned === 'never') continue;
      const pre = this.indexedValue(r, sub.name, t.op, t.value, foldFor({ leaf: sub }, this.opts));
      if (pre) return pre;
    }
    return undefined;
  }

  /**
   * A prefilter for a value filter: from the comparisons of its top-level conjunction, the longest literal (the
   * most selective guess: in `type eq "work" and value eq "a@x"` the address, not "work").
   */
  private innerPrefilter(node: FilterNode, parent: AttributeDefinition): string | undefined {
    const terms = node.kind === 'and' ? node.operands : [node];
    let best: { sub: AttributeDefinition; op: CompareOp; value: string } | undefined;
    for (const t of terms) {
      if (t.kind !== 'compare' || t.path.schema !== undefined || t.path.sub !== undefined || typeof t.value !== 'string') continue;
      const sub = findSub(parent, t.path.attr);
      if (!sub || sub.returned === 'never' || !prefilterable(sub, t.op, t.value)) continue;
      if (!best || t.value.length > best.value.length) best = { sub, op: t.op, value: t.value };
    }
    return best && this.dataContains(best.sub, best.op, best.value);
  }

  /** `schemas` is not stored: a User always has its core URN, and the enterprise URN when the extension is set. */
  private schemasCompare(leaf: AttributeDefinition, op: CompareOp, lit: Literal): string {
    if (lit === null) return op === 'eq' ? SQL_FALSE : SQL_TRUE;
    if (compareScalar(leaf, op, CORE_URN[this.table.kind], lit, 'ascii')) return SQL_TRUE;
    if (this.table.kind === 'User' && compareScalar(leaf, op, ENTERPRISE_SCHEMA, lit, 'ascii')) {
      return `coalesce(json_type(${this.col(this.table.dataColumn)}, ${sqlString(`$."${ENTERPRISE_SCHEMA}"`)}) = 'object', 0)`;
    }
    return SQL_FALSE;
  }

  /** One comparison on one source; `ne` never reaches here (it is `NOT eq`). */
  private compare(s: Source, leaf: AttributeDefinition, op: CompareOp, lit: Literal, mode: Fold): string {
    if (lit === null) {
      const present = this.present(s);
      return op === 'eq' ? `(NOT ${present})` : present;
    }
    if (s.kind === 'const') {
      const v = s.value.slice(1, -1).replace(/''/g, "'");
      return compareScalar(leaf, op, v, lit, mode) ? SQL_TRUE : SQL_FALSE;
    }
    if (s.kind === 'column' && s.encoding === 'etagInteger') return this.versionCompare(s.value, op, lit);
    if (leaf.type === 'boolean') {
      if (s.kind === 'column') return `(${s.value} = ${lit ? 1 : 0} AND ${s.value} IS NOT NULL)`;
      return `coalesce(${s.type} = ${lit ? "'true'" : "'false'"}, 0)`;
    }
    if (leaf.type === 'integer' || leaf.type === 'decimal') {
      if (s.kind === 'column') return this.twoValued(`${s.value} ${SQL_OP[op]} ${this.param(lit)}`, s.value);
      return `coalesce(${s.type} IN ('integer', 'real') AND ${s.value} ${SQL_OP[op]} ${this.param(lit)}, 0)`;
    }
    // strings, references, binary, dateTimes (ISO text, normalised by checkLiteral)
    let v = s.value;
    if (mode === 'unicode' && s.kind === 'column' && s.folded) v = s.folded;
    else if (mode !== 'none') v = `lower(${v})`;
    const p = fold(mode, lit as string);
    let cond: string;
    switch (op) {
      case 'co':
        cond = `instr(${v}, ${this.param(p)}) > 0`;
        break;
      case 'sw':
        cond = `substr(${v}, 1, length(${this.param(p)})) = ${this.param(p)}`;
        break;
      case 'ew':
        cond = `substr(${v}, length(${v}) - length(${this.param(p)}) + 1) = ${this.param(p)}`;
        break;
      default:
        cond = `${v} ${SQL_OP[op]} ${this.param(p)}`;
    }
    return s.kind === 'column' ? this.twoValued(cond, s.value) : `coalesce(${s.type} = 'text' AND ${cond}, 0)`;
  }

  /**
   * A column comparison that is 0 (not NULL) when the column is NULL, written as a plain AND rather than
   * coalesce() so SQLite can still answer `user_name_norm = ?` or `external_id = ?` from an index.
   */
  private twoValued(cond: string, column: string): string {
    return `(${cond} AND ${column} IS NOT NULL)`;
  }

  private versionCompare(col: string, op: CompareOp, lit: Literal): string {
    if (op !== 'eq') throw invalidFilter(`meta.version supports eq, ne and pr only`);
    const m = typeof lit === 'string' ? /^W\/"(\d+)"$/.exec(lit) : null;
    return m ? this.twoValued(`${col} = ${this.param(Number(m[1]))}`, col) : SQL_FALSE;
  }

  private valuePathTop(path: AttrPath, filter: FilterNode): string {
    const t = resolveTarget(this.table.kind, path, '[]');
    if (!t) {
      assertFlat(filter);
      return SQL_FALSE;
    }
    const { r } = t;
    if (r.def.type !== 'complex') throw invalidFilter(`'${formatPath(path)}[...]' needs a complex attribute`);
    if (this.isMembership(r)) return this.membershipExists((read) => this.inner(filter, r.def, read));
    if (!r.extension && sameName(r.def.name, 'meta')) {
      throw invalidFilter(`'meta[...]' cannot be filtered on; use meta.created, meta.lastModified`);
    }
    const data = this.col(this.table.dataColumn);
    if (r.def.multiValued) {
      const j = this.fresh('j');
      const read: ElementReader = (sub) => this.jsonSource(`${j}.value`, `$.${sub.name}`);
      const pre = this.innerIndexed(filter, r) ?? this.innerPrefilter(filter, r.def);
      const exists = `EXISTS (SELECT 1 FROM json_each(${data}, ${sqlString(jsonPath(r))}) AS ${j} WHERE CASE WHEN ${j}.type = 'object' THEN ${this.inner(filter, r.def, read)} ELSE 0 END)`;
      return pre ? `(${pre} AND ${exists})` : exists;
    }
    const read: ElementReader = (sub) => this.jsonSource(data, jsonPath(r, sub.name));
    return `coalesce(json_type(${data}, ${sqlString(jsonPath(r))}) = 'object' AND ${this.inner(filter, r.def, read)}, 0)`;
  }

  /** A value filter's body, on the element `read` gives access to. */
  private inner(node: FilterNode, parent: AttributeDefinition, read: ElementReader): string {
    switch (node.kind) {
      case 'and':
        return `(${node.operands.map((n) => this.inner(n, parent, read)).join(' AND ')})`;
      case 'or':
        return `(${node.operands.map((n) => this.inner(n, parent, read)).join(' OR ')})`;
      case 'not':
        return `(NOT ${this.inner(node.operand, parent, read)})`;
      case 'valuePath':
        throw invalidFilter('value filters cannot nest');
      case 'present': {
        const sub = resolveInner(parent, node.path);
        return sub ? this.present(read(sub, `${parent.name}.${sub.name}`)) : SQL_FALSE;
      }
      case 'compare': {
        const sub = resolveInner(parent, node.path);
        if (!sub) return node.op === 'ne' ? SQL_TRUE : SQL_FALSE;
        const written = `${parent.name}.${sub.name}`;
        const lit = checkLiteral(sub, node.op, node.value, written);
        const mode = foldFor({ leaf: sub }, this.opts);
        if (node.op === 'ne') return `(NOT ${this.compare(read(sub, written), sub, 'eq', lit, mode)})`;
        return this.compare(read(sub, written), sub, node.op, lit, mode);
      }
    }
  }

  /**
   * `EXISTS` over the membership rows of the current resource: a Group's members, or the groups a User is in.
   * `cond` gets a reader for the membership's sub-attributes.
   */
  private membershipExists(cond: (read: ElementReader) => string): string {
    const m = this.fresh('m');
    if (this.table.membership === 'members') {
      const read: ElementReader = (sub, written) => {
        if (sameName(sub.name, 'value')) return { kind: 'column', value: `${m}.member_id`, encoding: 'text' };
        if (sameName(sub.name, 'type')) return { kind: 'column', value: `${m}.member_type`, encoding: 'text' };
        throw invalidFilter(`'${written}' cannot be filtered on; use members.value or members.type`);
      };
      return `EXISTS (SELECT 1 FROM group_members AS ${m} WHERE ${m}.account_id = ${this.col('account_id')} AND ${m}.group_id = ${this.col('id')} AND ${cond(read)})`;
    }
    const g = this.fresh('g');
    const read: ElementReader = (sub, written) => {
      if (sameName(sub.name, 'value')) return { kind: 'column', value: `${m}.group_id`, encoding: 'text' };
      if (sameName(sub.name, 'display')) return { kind: 'column', value: `${g}.display_name`, encoding: 'text' };
      if (sameName(sub.name, 'type')) return { kind: 'const', value: sqlString('direct') };
      throw invalidFilter(`'${written}' cannot be filtered on; use groups.value, groups.display or groups.type`);
    };
    return `EXISTS (SELECT 1 FROM group_members AS ${m} JOIN groups AS ${g} ON ${g}.account_id = ${m}.account_id AND ${g}.id = ${m}.group_id WHERE ${m}.account_id = ${this.col('account_id')} AND ${m}.member_id = ${this.col('id')} AND ${cond(read)})`;
  }
}

/** Whether `op lit` on this attribute implies the literal appears verbatim (up to ASCII case) in the JSON text. */
function prefilterable(leaf: AttributeDefinition, op: CompareOp, lit: Literal): lit is string {
  if (op !== 'eq' && op !== 'co' && op !== 'sw' && op !== 'ew') return false;
  if ((leaf.type !== 'string' && leaf.type !== 'reference') || typeof lit !== 'string') return false;
  return /^[^"\\\u0000-\u001f\ud800-\udfff]+$/.test(lit);
}

const SQL_OP: Record<CompareOp, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=', co: '', sw: '', ew: '' };

function assertFlat(node: FilterNode): void {
  if (node.kind === 'valuePath') throw invalidFilter('value filters cannot nest');
  if (node.kind === 'and' || node.kind === 'or') node.operands.forEach(assertFlat);
  if (node.kind === 'not') assertFlat(node.operand);
}

/**
 * Compiles a parsed filter to a WHERE fragment for `table` (USERS_TABLE or GROUPS_TABLE). The store appends it to
 * `account_id = ?`; subqueries correlate on `<alias>.account_id` and `<alias>.id`. Throws `invalidFilter` for
 * comparisons the schema forbids (e.g. `gt` on a boolean) and for attributes the layout cannot answer
 * (`members.display`, `meta.location`).
 */
export function filterToSql(node: FilterNode, table: TableDescriptor, opts: SqlOptions = {}): SqlFragment {
  const c = new Compiler(table, opts.alias ?? table.table, opts);
  const sql = c.top(node);
  return { sql, params: c.params };
}
