/**
 * A problem with what the user gave a run (mismatched masks, unusable settings): the CLI prints its message as
 * one line and exits non-zero, the web app shows it; neither shows a stack trace.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
