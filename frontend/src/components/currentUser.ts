import { createContext, useContext } from 'react';

import type { UserOut } from '@/api/client';

/** Set by RequireAuth: every page under it has a logged-in user. */
export const CurrentUserContext = createContext<UserOut | null>(null);

export function useCurrentUser(): UserOut {
  const user = useContext(CurrentUserContext);
  if (user === null) {
    throw new Error('useCurrentUser() must be used under <RequireAuth>.');
  }
  return user;
}

export const ROLE_LABELS: Record<UserOut['role'], string> = {
  admin: 'Admin',
  marketer: 'Marketer',
  viewer: 'Viewer',
};

export const ROLE_COLORS: Record<UserOut['role'], string> = {
  admin: 'grape',
  marketer: 'teal',
  viewer: 'gray',
};

/** Admins and marketers change data; viewers only look (the API answers 403 to them). */
export function canWrite(role: UserOut['role']): boolean {
  return role === 'admin' || role === 'marketer';
}
