import { describe, expect, it } from 'vitest';

import { loginPathFor, safeNextPath } from './nextPath';

describe('safeNextPath', () => {
  it.each([
    ['/customers', '/customers'],
    ['/customers?page=2&sort=name', '/customers?page=2&sort=name'],
    ['/orders/12#items', '/orders/12#items'],
    ['/', '/'],
  ])('keeps the same-origin path %s', (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    '//evil.com',
    '//evil.com/customers',
    'https://evil.com',
    'https://evil.com/customers',
    'http:evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    'javascript:alert(1)',
    'evil.com',
    'customers',
    '/\t/evil.com',
    '',
    null,
    undefined,
  ])('refuses %j and falls back to /', (raw) => {
    expect(safeNextPath(raw)).toBe('/');
  });

  it('does not send the user back to the login page', () => {
    expect(safeNextPath('/login')).toBe('/');
    expect(safeNextPath('/login?next=/orders')).toBe('/');
  });
});

describe('loginPathFor', () => {
  it('carries the current path as next', () => {
    expect(loginPathFor('/customers?page=2')).toBe('/login?next=%2Fcustomers%3Fpage%3D2');
  });

  it('omits next for the home page', () => {
    expect(loginPathFor('/')).toBe('/login');
  });
});
