import type { z } from 'zod';

/**
 * zod's issues as one line, "path: message; path: message", for error messages a person reads; an issue at the
 * root is named by `root`, or by its message alone. (The server shares no code with the harness, which keeps its
 * own in simulators/core/issues.ts.)
 */
export function formatIssues(error: { readonly issues: readonly z.core.$ZodIssue[] }, root?: string): string {
  return error.issues
    .map((i) => {
      const path = i.path.map(String).join('.') || root;
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
