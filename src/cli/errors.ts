/**
 * Errors that are the user's to fix (bad flag, unreadable map, mismatched mask). The CLI prints their message as
 * one line and exits non-zero, without a stack trace; anything else is a bug and shows its trace with --verbose.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
