/** Auth: who is logged in, log in, log out, change one's password. Keys are `['auth', ...]`. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { authChangePassword, authLogin, authLogout, authMe } from '../client';
import type { LoginIn, LoginOut, PasswordChange, UserOut } from '../client';
import type { ApiError } from '../errors';

export const authKeys = {
  all: ['auth'] as const,
  me: () => ['auth', 'me'] as const,
};

export function meQueryOptions() {
  return queryOptions<UserOut, ApiError>({
    queryKey: authKeys.me(),
    queryFn: async ({ signal }) => {
      const { data } = await authMe({ signal, throwOnError: true });
      return data;
    },
    staleTime: 5 * 60_000,
  });
}

/** The logged-in user. Only use under the auth guard, which has already loaded it. */
export function useMe() {
  return useQuery(meQueryOptions());
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation<LoginOut, ApiError, LoginIn>({
    mutationFn: async (body) => {
      const { data } = await authLogin({ body, throwOnError: true });
      return data;
    },
    onSuccess: (data) => {
      // A new session: drop whatever an earlier user left in the cache, then seed `me`.
      queryClient.clear();
      queryClient.setQueryData(authKeys.me(), data.user);
    },
  });
}

export function useLogout() {
  return useMutation<unknown, ApiError>({
    mutationFn: async () => {
      await authLogout({ throwOnError: true });
      return null;
    },
  });
}

/** Changes the logged-in user's password; the server ends their other sessions and keeps this one. */
export function useChangePassword() {
  return useMutation<null, ApiError, PasswordChange>({
    mutationFn: async (body) => {
      await authChangePassword({ body, throwOnError: true });
      return null;
    },
  });
}
