import { createTheme, Drawer, getDefaultZIndex, Modal, Notification } from '@mantine/core';
import type { CSSVariablesResolver, MantineTheme } from '@mantine/core';

import { AA_TEXT, readableShade } from '@/lib/contrast';

/**
 * White text on a colour reaches 4.5:1 up to this luminance; above it black text does. Mantine's
 * `autoContrast` puts black text on filled colours lighter than the threshold, so every filled
 * button and badge is readable whatever its colour.
 */
const WHITE_TEXT_MAX_LUMINANCE = 1.05 / AA_TEXT - 0.05;

/**
 * Dialogs (the customer form) open from the detail panels, which are drawers: they must stack
 * above them. Popovers and select dropdowns (300) stay above both.
 */
export const DIALOG_Z_INDEX = getDefaultZIndex('modal') + 10;

export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 (#1971c2): white on it is 5.0:1, links on white 5.0:1 (shade 6 was 3.5:1).
  primaryShade: 8,
  autoContrast: true,
  luminanceThreshold: WHITE_TEXT_MAX_LUMINANCE,
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '700' },
  components: {
    Modal: Modal.extend({
      defaultProps: { zIndex: DIALOG_Z_INDEX, closeButtonProps: { 'aria-label': 'Close' } },
    }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // The toasts ("Saved …") have a close button too; without a name axe flags it while one is showing.
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } } }),
  },
});

/**
 * Text colours that reach WCAG AA (4.5:1), computed once from the palette instead of patched per
 * component: for every colour, the text / outline shade on the page's backgrounds (white cards,
 * the grey page, striped rows) and the text shade of the "light" variant (badges, subtle buttons)
 * on its own tinted background; dimmed text and form errors likewise.
 */
export function readableColorVariables(t: MantineTheme): Record<string, string> {
  const page = [t.white, t.colors.gray[0], t.colors.gray[1]];
  const primaryShade = typeof t.primaryShade === 'number' ? t.primaryShade : t.primaryShade.light;
  const vars: Record<string, string> = {};
  for (const [name, shades] of Object.entries(t.colors)) {
    const onPage = readableShade(shades, page, primaryShade);
    vars[`--mantine-color-${name}-text`] = onPage;
    vars[`--mantine-color-${name}-outline`] = onPage;
    vars[`--mantine-color-${name}-light-color`] = readableShade(shades, [...page, shades[1], shades[2]], 9);
  }
  vars['--mantine-color-anchor'] = readableShade(t.colors[t.primaryColor] ?? t.colors.blue, page, primaryShade);
  vars['--mantine-color-dimmed'] = readableShade(t.colors.gray, page, 6);
  vars['--mantine-color-error'] = readableShade(t.colors.red, page, 6);
  return vars;
}

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: readableColorVariables(t),
  dark: {},
});
