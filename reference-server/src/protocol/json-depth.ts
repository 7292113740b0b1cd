/**
 * Nesting depth of a JSON text, measured on the raw characters before parsing, in one iterative pass. Bodies
 * nested deeper than any SCIM resource needs are refused up front, so nothing downstream (zod, the PATCH engine,
 * Bulk's bulkId walkers, JSON.stringify) ever recurses over client data without bound.
 */

/** Deepest SCIM shape is a handful of levels (Bulk > Operations > data > PatchOp > Operations > value > complex > sub). */
export const MAX_JSON_DEPTH = 64;

/** Whether the JSON text nests `[` / `{` deeper than `max`; brackets inside strings do not count. */
export function jsonNestsDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
