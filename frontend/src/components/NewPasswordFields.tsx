import { PASSWORD_HINT } from '@/lib/passwordRules';

import { PasswordField } from './PasswordField';

type Field = 'password' | 'confirmation';

/**
 * A new password and its confirmation, as every form that sets one asks for them: the policy as the
 * hint, browsers told not to fill in a saved password, errors (the form's own or the API's) under each.
 */
export function NewPasswordFields({
  password,
  confirmation,
  errors,
  onChange,
  label = 'New password',
  confirmLabel = 'Confirm new password',
  autoFocus = false,
}: {
  password: string;
  confirmation: string;
  errors: Partial<Record<Field, string>>;
  onChange: (field: Field, value: string) => void;
  label?: string;
  confirmLabel?: string;
  autoFocus?: boolean;
}) {
  return (
    <>
      <PasswordField
        label={label}
        autoComplete="new-password"
        required
        description={PASSWORD_HINT}
        value={password}
        onChange={(e) => onChange('password', e.currentTarget.value)}
        error={errors.password}
        data-autofocus={autoFocus || undefined}
      />
      <PasswordField
        label={confirmLabel}
        autoComplete="new-password"
        required
        value={confirmation}
        onChange={(e) => onChange('confirmation', e.currentTarget.value)}
        error={errors.confirmation}
      />
    </>
  );
}
