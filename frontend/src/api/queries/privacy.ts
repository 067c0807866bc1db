/** A customer's personal data: the download address, and the erasure (admins only). */
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { customersErase, customersLiftSuppression } from '../client';
import type { ErasureOut } from '../client';
import type { ApiError } from '../errors';
import { auditKeys } from './audit';
import { customerKeys } from './customers';
import { orderKeys } from './orders';

/** The JSON document of everything held about the customer; the browser downloads it (a GET with the session cookie). */
export function personalDataHref(customerId: number): string {
  return `/api/customers/${String(customerId)}/export`;
}

export function useEraseCustomer() {
  const queryClient = useQueryClient();
  return useMutation<ErasureOut, ApiError, { id: number; confirm: string }>({
    mutationFn: async ({ id, confirm }) => {
      const { data } = await customersErase({ path: { customer_id: id }, body: { confirm }, throwOnError: true });
      return data;
    },
    onSuccess: (_result, { id }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: customerKeys.details(id) }),
        // Order rows and panels show the customer's name, email and the shipping address.
        queryClient.invalidateQueries({ queryKey: orderKeys.all }),
        queryClient.invalidateQueries({ queryKey: auditKeys.all }),
      ]),
  });
}

/** Takes an erased person's email off the suppression list (admins; they asked to be a customer again). */
export function useLiftSuppression() {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, { email: string }>({
    mutationFn: async (body) => {
      await customersLiftSuppression({ body, throwOnError: true });
      return null;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: auditKeys.all }),
  });
}
