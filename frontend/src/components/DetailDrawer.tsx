import { Drawer, Text } from '@mantine/core';
import type { ReactNode } from 'react';

import { useBelow } from './useBreakpoint';

/**
 * The drawer every details panel uses: on the right, full-screen on a phone. Focus is handed back
 * by `DetailPanels` (to the row the panel was opened from), not by the drawer, because a chain of
 * panels closes onto a page where the opening button may be gone.
 */
export function DetailDrawer({
  opened,
  onClose,
  title,
  closeLabel,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  closeLabel: string;
  children: ReactNode;
}) {
  const phone = useBelow('sm');
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={phone ? '100%' : 'xl'}
      padding={phone ? 'sm' : 'md'}
      returnFocus={false}
      title={
        <Text component="span" fw={700} size="lg">
          {title}
        </Text>
      }
      closeButtonProps={{ 'aria-label': closeLabel }}
    >
      {children}
    </Drawer>
  );
}
