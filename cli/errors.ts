/** Exit codes of docs/contracts.md: callers and CI scripts depend on them. */
export const EXIT = {
  ok: 0,
  requirementFailed: 1,
  usage: 2,
  harnessFailed: 3,
} as const;

/** A problem the user can fix: printed as one readable paragraph, never with a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
