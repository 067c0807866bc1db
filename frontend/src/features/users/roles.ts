import type { Role } from '@/api/client';
import { ROLE_LABELS } from '@/components/currentUser';

export const ROLES: readonly Role[] = ['admin', 'marketer', 'viewer'];

export const ROLE_OPTIONS: { value: Role; label: string }[] = ROLES.map((role) => ({
  value: role,
  label: ROLE_LABELS[role],
}));

export const ROLE_HINTS: Record<Role, string> = {
  admin: 'Everything, including users',
  marketer: 'Customers, segments and flows',
  viewer: 'Looks, changes nothing',
};
