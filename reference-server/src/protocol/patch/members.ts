/**
 * Group membership changes collected from PATCH operations, in order, as a delta the store applies with SQL
 * (docs/decisions/0001): adding 100 members to a 50,000-member group touches 100 rows and loads nothing.
 */

/** A member as sent: its id and optional type ("User" / "Group"); the route checks both against the account. */
export interface MemberRef {
  value: string;
  type?: string;
}

/**
 * Applied by the store in this order: `replaceAll` (all current members removed, these inserted; `removeAll` is set
 * when that list is empty), then `remove`, then `add`. `add` and `remove` never share an id.
 */
export interface MembershipDelta {
  add: MemberRef[];
  remove: string[];
  replaceAll?: MemberRef[];
  removeAll?: boolean;
}

/** Current members, as the store describes them; needed only for member filters other than `value eq "id"`. */
export interface MemberView {
  value: string;
  type?: string;
  display?: string;
}

export class MembershipChanges {
  private replaceAll: Map<string, MemberRef> | undefined;
  private readonly added = new Map<string, MemberRef>();
  private readonly removed = new Set<string>();
  private touched = false;

  add(refs: MemberRef[]): void {
    this.touched = true;
    for (const ref of refs) {
      if (this.replaceAll) this.replaceAll.set(ref.value, ref);
      else {
        this.removed.delete(ref.value);
        this.added.set(ref.value, ref);
      }
    }
  }

  remove(ids: Iterable<string>): void {
    this.touched = true;
    for (const id of ids) {
      if (this.replaceAll) this.replaceAll.delete(id);
      else {
        this.added.delete(id);
        this.removed.add(id);
      }
    }
  }

  replace(refs: MemberRef[]): void {
    this.touched = true;
    this.replaceAll = new Map(refs.map((r) => [r.value, r]));
    this.added.clear();
    this.removed.clear();
  }

  /** The member list after the changes so far, from the current members the store lists. */
  effective(current: MemberView[]): MemberView[] {
    if (this.replaceAll) return [...this.replaceAll.values()];
    const out = new Map(current.filter((m) => !this.removed.has(m.value)).map((m) => [m.value, m]));
    for (const [id, ref] of this.added) if (!out.has(id)) out.set(id, ref);
    return [...out.values()];
  }

  delta(): MembershipDelta | undefined {
    if (!this.touched) return undefined;
    const d: MembershipDelta = { add: [...this.added.values()], remove: [...this.removed] };
    if (this.replaceAll) {
      d.replaceAll = [...this.replaceAll.values()];
      if (d.replaceAll.length === 0) d.removeAll = true;
    }
    return d;
  }
}
