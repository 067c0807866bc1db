import { em, getBreakpointValue, useMantineTheme } from '@mantine/core';
import type { MantineBreakpoint } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';

/**
 * Whether the viewport is narrower than a theme breakpoint (the same edge as Mantine's
 * `hiddenFrom` / `visibleFrom`). Read on the first render, so a phone never flashes the desktop
 * layout.
 */
export function useBelow(breakpoint: MantineBreakpoint): boolean {
  const theme = useMantineTheme();
  const edge = getBreakpointValue(breakpoint, theme.breakpoints);
  return useMediaQuery(`(max-width: ${em(edge - 0.1)})`, false, { getInitialValueInEffect: false });
}

/** Lists switch from a table to a compact list below this width. */
export const TABLE_BREAKPOINT: MantineBreakpoint = 'lg';
