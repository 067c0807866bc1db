/** Users (admins only): list, create, update role or access, reset a password. Keys are `['users', ...]`. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { usersCreate, usersList, usersResetPassword, usersUpdate } from '../client';
import type { PasswordReset, UserAdminOut, UserCreate, UserList, UserUpdate } from '../client';
import type { ApiError } from '../errors';

export const userKeys = {
  all: ['users'] as const,
  list: () => ['users', 'list'] as const,
};

export function usersListQueryOptions() {
  return queryOptions<UserList, ApiError>({
    queryKey: userKeys.list(),
    queryFn: async ({ signal }) => {
      const { data } = await usersList({ signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

export function useUsersList() {
  return useQuery(usersListQueryOptions());
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation<UserAdminOut, ApiError, UserCreate>({
    mutationFn: async (body) => {
      const { data } = await usersCreate({ body, throwOnError: true });
      return data;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation<UserAdminOut, ApiError, { id: number; body: UserUpdate }>({
    mutationFn: async ({ id, body }) => {
      const { data } = await usersUpdate({ path: { user_id: id }, body, throwOnError: true });
      return data;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** Sets another user's password; the server ends all their sessions (and tokens, if asked). */
export function useResetPassword() {
  return useMutation<null, ApiError, { id: number; body: PasswordReset }>({
    mutationFn: async ({ id, body }) => {
      await usersResetPassword({ path: { user_id: id }, body, throwOnError: true });
      return null;
    },
  });
}
