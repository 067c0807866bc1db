import { describe, expect, it } from 'vitest';

import { contrastRatio, darken, parseHex, readableShade, relativeLuminance } from './contrast';

describe('contrast', () => {
  it('parses short and long hex', () => {
    expect(parseHex('#fff')).toEqual([255, 255, 255]);
    expect(parseHex('#1971c2')).toEqual([25, 113, 194]);
    expect(() => parseHex('blue')).toThrow();
  });

  it('computes WCAG ratios (known pairs)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // The figures the accessibility review measured with axe.
    expect(contrastRatio('#868e96', '#ffffff')).toBeCloseTo(3.32, 2);
    expect(contrastRatio('#ffffff', '#228be6')).toBeCloseTo(3.56, 2);
    expect(contrastRatio('#ffffff', '#1971c2')).toBeCloseTo(5.0, 1);
    expect(relativeLuminance('#000')).toBe(0);
  });

  it('darkens towards black', () => {
    expect(darken('#ffffff', 0.5)).toBe('#808080');
    expect(darken('#123456', 0)).toBe('#123456');
  });

  it('picks the first readable shade, or darkens the last one until it reads', () => {
    const greys = ['#f8f9fa', '#ced4da', '#868e96', '#495057'];
    expect(readableShade(greys, ['#ffffff'], 0)).toBe('#495057');
    expect(readableShade(greys, ['#ffffff'], 3)).toBe('#495057');
    const pale = ['#ffffff', '#ffec99'];
    const darkened = readableShade(pale, ['#ffffff'], 0);
    expect(contrastRatio(darkened, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(darken('#ffec99', 0.05), '#ffffff')).toBeLessThan(4.5);
  });
});
