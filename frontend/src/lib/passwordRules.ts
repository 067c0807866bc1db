/**
 * What the browser checks before sending a new password: the API's length rule and a matching
 * confirmation. How easy a password is to guess (common words, repeats, the user's own name) only the
 * server judges; its 422 names the field and says why, and forms show that under the field.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

export const PASSWORD_HINT =
  'At least 10 characters. Common passwords, repeats, sequences, dates and your own name or email are refused.';

/** The problem with a new password, or undefined when the server should judge it. */
export function newPasswordError(password: string): string | undefined {
  if (password === '') return 'Enter a new password';
  if (password.length < MIN_PASSWORD_LENGTH) return `At least ${String(MIN_PASSWORD_LENGTH)} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `At most ${String(MAX_PASSWORD_LENGTH)} characters`;
  if (password.trim() === '') return 'Must not be only spaces';
  return undefined;
}

export function confirmationError(password: string, confirmation: string): string | undefined {
  if (confirmation === '') return 'Type the new password again';
  if (confirmation !== password) return 'The two passwords differ';
  return undefined;
}
