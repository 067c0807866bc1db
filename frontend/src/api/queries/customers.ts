/** Customers: list, details, create, update. Keys are `['customers', ...]`. */
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { customersCreate, customersDetails, customersList, customersUpdate } from '../client';
import type {
  CustomerCreate,
  CustomerDetails,
  CustomerOut,
  CustomerPage,
  CustomersListData,
  CustomerUpdate,
} from '../client';
import type { ApiError } from '../errors';
import { orderKeys } from './orders';

export type CustomersListQuery = NonNullable<CustomersListData['query']>;

export const customerKeys = {
  all: ['customers'] as const,
  lists: () => ['customers', 'list'] as const,
  list: (query: CustomersListQuery) => ['customers', 'list', query] as const,
  details: (id: number) => ['customers', 'details', id] as const,
};

export function customersListQueryOptions(query: CustomersListQuery) {
  return queryOptions<CustomerPage, ApiError>({
    queryKey: customerKeys.list(query),
    queryFn: async ({ signal }) => {
      const { data } = await customersList({ query, signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

/** A page of customers; the previous page stays on screen while the next one loads. */
export function useCustomersList(query: CustomersListQuery) {
  return useQuery({ ...customersListQueryOptions(query), placeholderData: keepPreviousData });
}

export function customerDetailsQueryOptions(id: number) {
  return queryOptions<CustomerDetails, ApiError>({
    queryKey: customerKeys.details(id),
    queryFn: async ({ signal }) => {
      const { data } = await customersDetails({ path: { customer_id: id }, signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

export function useCustomerDetails(id: number | null) {
  return useQuery({ ...customerDetailsQueryOptions(id ?? 0), enabled: id !== null });
}

export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation<CustomerOut, ApiError, CustomerCreate>({
    mutationFn: async (body) => {
      const { data } = await customersCreate({ body, throwOnError: true });
      return data;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.lists() }),
  });
}

export function useUpdateCustomer() {
  const queryClient = useQueryClient();
  return useMutation<CustomerOut, ApiError, { id: number; body: CustomerUpdate }>({
    mutationFn: async ({ id, body }) => {
      const { data } = await customersUpdate({ path: { customer_id: id }, body, throwOnError: true });
      return data;
    },
    onSuccess: (_customer, { id }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: customerKeys.details(id) }),
        // Order rows and order details show the customer's name and email.
        queryClient.invalidateQueries({ queryKey: orderKeys.all }),
      ]),
  });
}
