import { DEFAULT_THEME, getDefaultZIndex, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';

import { contrastRatio, relativeLuminance } from '@/lib/contrast';

import { DIALOG_Z_INDEX, readableColorVariables, theme } from './theme';

const full = mergeMantineTheme(DEFAULT_THEME, theme);
const vars = readableColorVariables(full);
const PAGE = [full.white, full.colors.gray[0], full.colors.gray[1]];
const COLORS = Object.keys(full.colors);

function v(name: string): string {
  const value = vars[name];
  if (value === undefined) throw new Error(`${name} not set`);
  return value;
}

describe('theme contrast (WCAG AA, 4.5:1)', () => {
  it('links, dimmed text and errors read on every page background', () => {
    for (const name of ['--mantine-color-anchor', '--mantine-color-dimmed', '--mantine-color-error']) {
      for (const bg of PAGE) expect(contrastRatio(v(name), bg), `${name} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(v('--mantine-color-anchor')).toBe('#1971c2');
    expect(v('--mantine-color-dimmed')).toBe('#495057');
  });

  it.each(COLORS)('%s: text, outline and light-variant text read on their backgrounds', (color) => {
    const shades = full.colors[color];
    if (shades === undefined) throw new Error(color);
    for (const bg of PAGE) {
      expect(contrastRatio(v(`--mantine-color-${color}-text`), bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(v(`--mantine-color-${color}-outline`), bg)).toBeGreaterThanOrEqual(4.5);
    }
    // Light badges and buttons: their tinted background and its hover shade.
    for (const bg of [shades[1], shades[2]]) {
      expect(contrastRatio(v(`--mantine-color-${color}-light-color`), bg)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it.each(COLORS)('%s: filled gets white or black text, whichever reaches 4.5:1', (color) => {
    const filled = full.colors[color]?.[8];
    if (filled === undefined) throw new Error(color);
    const text = relativeLuminance(filled) > full.luminanceThreshold ? '#000000' : '#ffffff';
    expect(contrastRatio(text, filled)).toBeGreaterThanOrEqual(4.5);
  });

  it('uses primary shade 8 with automatic contrast on filled colours', () => {
    expect(full.primaryShade).toBe(8);
    expect(full.autoContrast).toBe(true);
  });
});

describe('theme layering', () => {
  it('puts dialogs above the detail drawers and below popovers', () => {
    expect(DIALOG_Z_INDEX).toBeGreaterThan(getDefaultZIndex('modal'));
    expect(DIALOG_Z_INDEX).toBeLessThan(getDefaultZIndex('popover'));
    expect(full.components.Modal?.defaultProps).toMatchObject({ zIndex: DIALOG_Z_INDEX });
  });

  it('names the close button of every modal and drawer', () => {
    for (const component of ['Modal', 'Drawer']) {
      expect(full.components[component]?.defaultProps).toMatchObject({ closeButtonProps: { 'aria-label': 'Close' } });
    }
    expect(full.components.Notification?.defaultProps).toMatchObject({
      closeButtonProps: { 'aria-label': 'Close notification' },
    });
  });
});
