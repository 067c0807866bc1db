/**
 * WCAG 2.1 colour contrast: relative luminance, contrast ratio, and the darkest-needed shade of a
 * palette that keeps text readable on given backgrounds. The theme uses it once, so that every
 * badge, link and outline button reaches AA (4.5:1 for normal text) by construction.
 */

/** AA for normal-size text. */
export const AA_TEXT = 4.5;

type Rgb = readonly [number, number, number];

/** `#rgb` or `#rrggbb` → [r, g, b] in 0..255. */
export function parseHex(hex: string): Rgb {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (m?.[1] === undefined) throw new Error(`not a hex colour: ${hex}`);
  const digits = m[1].length === 3 ? m[1].replace(/./g, '$&$&') : m[1];
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as unknown as Rgb;
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance, 0 (black) .. 1 (white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHex(hex);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio, 1..21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `hex` mixed with black: `amount` 0 leaves it, 1 is black. */
export function darken(hex: string, amount: number): string {
  const [r, g, b] = parseHex(hex);
  return toHex([r, g, b].map((v) => v * (1 - amount)) as unknown as Rgb);
}

/**
 * The first shade of `shades` from index `from` on whose contrast with every one of `backgrounds`
 * reaches `min`; when even the darkest shade does not, that shade darkened just enough.
 */
export function readableShade(
  shades: readonly string[],
  backgrounds: readonly string[],
  from: number,
  min: number = AA_TEXT,
): string {
  const passes = (color: string) => backgrounds.every((bg) => contrastRatio(color, bg) >= min);
  for (const shade of shades.slice(from)) {
    if (passes(shade)) return shade;
  }
  const darkest = shades[shades.length - 1];
  if (darkest === undefined) throw new Error('empty palette');
  for (let amount = 0.05; amount < 1; amount += 0.05) {
    const candidate = darken(darkest, amount);
    if (passes(candidate)) return candidate;
  }
  return '#000000';
}
