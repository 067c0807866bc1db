import type { LoginIn } from '@/api/client';

export type LoginErrors = Partial<Record<keyof LoginIn, string>>;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateLogin(values: LoginIn): LoginErrors {
  const errors: LoginErrors = {};
  const email = values.email.trim();
  if (email === '') errors.email = 'Enter your email';
  else if (!EMAIL_RE.test(email)) errors.email = 'Enter a valid email address';
  if (values.password === '') errors.password = 'Enter your password';
  return errors;
}
