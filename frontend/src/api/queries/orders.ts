/** Orders: list, details, status changes. Keys are `['orders', ...]`. */
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { ordersDetails, ordersList, ordersUpdateStatus } from '../client';
import type { OrderDetails, OrderPage, OrdersListData, OrderStatus } from '../client';
import type { ApiError } from '../errors';

export type OrdersListQuery = NonNullable<OrdersListData['query']>;

export const orderKeys = {
  all: ['orders'] as const,
  lists: () => ['orders', 'list'] as const,
  list: (query: OrdersListQuery) => ['orders', 'list', query] as const,
  details: (id: number) => ['orders', 'details', id] as const,
};

export function ordersListQueryOptions(query: OrdersListQuery) {
  return queryOptions<OrderPage, ApiError>({
    queryKey: orderKeys.list(query),
    queryFn: async ({ signal }) => {
      const { data } = await ordersList({ query, signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

/** A page of orders; the previous page stays on screen while the next one loads. */
export function useOrdersList(query: OrdersListQuery) {
  return useQuery({ ...ordersListQueryOptions(query), placeholderData: keepPreviousData });
}

export function orderDetailsQueryOptions(id: number) {
  return queryOptions<OrderDetails, ApiError>({
    queryKey: orderKeys.details(id),
    queryFn: async ({ signal }) => {
      const { data } = await ordersDetails({ path: { order_id: id }, signal, throwOnError: true });
      return data;
    },
    staleTime: 30_000,
  });
}

export function useOrderDetails(id: number | null) {
  return useQuery({ ...orderDetailsQueryOptions(id ?? 0), enabled: id !== null });
}

/** Moves an order along its allowed transitions; cancelling or refunding changes the customer's figures. */
export function useUpdateOrderStatus() {
  const queryClient = useQueryClient();
  return useMutation<OrderDetails, ApiError, { id: number; status: OrderStatus }>({
    mutationFn: async ({ id, status }) => {
      const { data } = await ordersUpdateStatus({ path: { order_id: id }, body: { status }, throwOnError: true });
      return data;
    },
    onSuccess: (order) => {
      queryClient.setQueryData(orderKeys.details(order.id), order);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: orderKeys.lists() }),
        // Spend, order counts, tier and recent orders of the customer may have changed.
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
      ]);
    },
  });
}

/**
 * How many orders a customer has per status, cancelled and refunded included (plus "all"): the
 * status counts of their order list, which is what "View all N orders" opens.
 */
export function useCustomerOrderCounts(customerId: number | null) {
  return useQuery({
    ...ordersListQueryOptions({ customer_id: customerId ?? 0, limit: 1 }),
    enabled: customerId !== null,
    select: (page) => page.status_counts,
  });
}
