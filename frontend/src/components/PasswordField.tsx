import { PasswordInput } from '@mantine/core';
import type { PasswordInputProps } from '@mantine/core';
import { useId } from 'react';

/**
 * Mantine's PasswordInput, with what it leaves off its inner input: `aria-invalid` while it shows an
 * error, and `aria-describedby` pointing at that error and the description, so a screen reader reads
 * why a password was refused.
 */
export function PasswordField({ id, error, description, ...rest }: PasswordInputProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hasError = error !== undefined && error !== null && error !== false && error !== '';
  const describedBy = [hasError ? `${inputId}-error` : null, description ? `${inputId}-description` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <PasswordInput
      {...rest}
      id={inputId}
      error={error}
      description={description}
      aria-invalid={hasError}
      aria-describedby={describedBy === '' ? undefined : describedBy}
    />
  );
}
