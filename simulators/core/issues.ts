import type { z } from 'zod';

export interface FormatIssuesOptions {
  /** How an issue at the root is named; without it, the root's issue reads as its message alone. */
  root?: string;
  /** false: messages only, for schemas whose messages already name the field (the CLI's option schemas). */
  paths?: boolean;
}

/** zod's issues as one line, "path: message; path: message", for error messages a person reads. */
export function formatIssues(error: { readonly issues: readonly z.core.$ZodIssue[] }, opts: FormatIssuesOptions = {}): string {
  return error.issues
    .map((i) => {
      if (opts.paths === false) return i.message;
      const path = i.path.map(String).join('.') || opts.root;
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
