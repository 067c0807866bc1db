import { describe, expect, it } from 'vitest';

import { defaultValue, editorSpec, operatorLabel, ruleProblem } from './fields';
import { BOUGHT_CATEGORY, COUNTRY, EMAIL_CONSENT, LAST_ORDER, ORDERS_IN_LAST_DAYS, TOTAL_SPEND } from './testFields';

describe('editorSpec', () => {
  it('picks the editor by operator, then by the field kind', () => {
    expect(editorSpec(COUNTRY, 'null')).toEqual({ shape: 'none' });
    expect(editorSpec(COUNTRY, 'in')).toMatchObject({ shape: 'list', kind: 'choice' });
    expect(editorSpec(TOTAL_SPEND, 'between')).toMatchObject({ shape: 'pair', kind: 'money' });
    expect(editorSpec(LAST_ORDER, 'inLastDays')).toEqual({ shape: 'days' });
    expect(editorSpec(TOTAL_SPEND, '>=')).toMatchObject({ shape: 'single', kind: 'money' });
  });
});

describe('defaultValue', () => {
  it('starts lists as arrays, ranges as pairs, windowed fields with their window', () => {
    expect(defaultValue(COUNTRY, 'in')).toEqual([]);
    expect(defaultValue(TOTAL_SPEND, 'between')).toEqual(['', '']);
    expect(defaultValue(ORDERS_IN_LAST_DAYS, '>=')).toEqual({ days: 90, value: '' });
    expect(defaultValue(ORDERS_IN_LAST_DAYS, 'between')).toEqual({ days: 90, value: ['', ''] });
    // An optional window starts as "ever": the plain value.
    expect(defaultValue(BOUGHT_CATEGORY, '=')).toBe('');
    expect(defaultValue(EMAIL_CONSENT, '=')).toBe(true);
  });
});

describe('ruleProblem', () => {
  it('says what is missing', () => {
    expect(ruleProblem(undefined, '=', 'x')).toBe('Choose a field');
    expect(ruleProblem(TOTAL_SPEND, '>=', '')).toBe('Enter a value');
    expect(ruleProblem(TOTAL_SPEND, '>=', 500)).toBeNull();
    expect(ruleProblem(TOTAL_SPEND, 'between', [100, ''])).toBe('Enter both ends of the range');
    expect(ruleProblem(COUNTRY, 'in', [])).toBe('Choose at least one value');
    expect(ruleProblem(COUNTRY, 'null', '')).toBeNull();
    expect(ruleProblem(LAST_ORDER, 'inLastDays', '')).toBe('Enter a number of days');
    expect(ruleProblem(ORDERS_IN_LAST_DAYS, '>=', { days: '', value: 3 })).toBe('Enter a number of days');
    expect(ruleProblem(ORDERS_IN_LAST_DAYS, '>=', { days: 30, value: '' })).toBe('Enter a value');
    expect(ruleProblem(ORDERS_IN_LAST_DAYS, '>=', { days: 30, value: 3 })).toBeNull();
    expect(ruleProblem(BOUGHT_CATEGORY, '=', 'Shoes')).toBeNull();
    expect(ruleProblem(BOUGHT_CATEGORY, '=', { days: 30, value: 'Shoes' })).toBeNull();
    expect(ruleProblem(TOTAL_SPEND, 'contains', 'x')).toBe('Choose a condition');
  });
});

describe('operatorLabel', () => {
  it('reads dates as before / after', () => {
    expect(operatorLabel('<', 'date')).toBe('is before');
    expect(operatorLabel('<', 'money')).toBe('is less than');
    expect(operatorLabel('inLastDays', 'date')).toBe('is in the last');
  });
});
