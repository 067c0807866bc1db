import { Group, Text } from '@mantine/core';

export function Brand({ size = 'lg', compact = false }: { size?: 'md' | 'lg' | 'xl'; compact?: boolean }) {
  const px = size === 'xl' ? 36 : size === 'lg' ? 28 : 24;
  return (
    <Group gap={8} wrap="nowrap">
      <img src="/favicon.svg" width={px} height={px} alt="" />
      <Text fw={700} size={size} c="dark.7" visibleFrom={compact ? 'xs' : undefined}>
        ShopCRM
      </Text>
    </Group>
  );
}
