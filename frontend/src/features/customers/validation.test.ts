import { describe, expect, it } from 'vitest';

import { EMPTY_CUSTOMER, toCustomerBody, validateCustomer } from './validation';

const VALID = { ...EMPTY_CUSTOMER, first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' };

describe('validateCustomer', () => {
  it('accepts a minimal customer', () => {
    expect(validateCustomer(VALID)).toEqual({});
  });

  it.each(['+4915123456789', '+1 (284) 146-9636', '+46 75 086 89 77'])('accepts the E.164 phone %s', (phone) => {
    expect(validateCustomer({ ...VALID, phone })).toEqual({});
  });

  it.each(['015123456789', '+0151234567', '+12345', '+1234567890123456', 'call me'])('refuses the phone %s', (phone) => {
    expect(validateCustomer({ ...VALID, phone }).phone).toBeDefined();
  });

  it('requires names and a real-looking email, and ISO-2 countries', () => {
    const errors = validateCustomer({ ...EMPTY_CUSTOMER, first_name: '  ', email: 'ada@', country: 'DEU' });
    expect(Object.keys(errors).sort()).toEqual(['country', 'email', 'first_name', 'last_name']);
    expect(validateCustomer({ ...VALID, country: 'de' })).toEqual({});
  });

  it('sends trimmed values, null for empty optional fields', () => {
    expect(toCustomerBody({ ...VALID, first_name: ' Ada ', phone: '+49 151 23456789', country: 'de', city: ' ' })).toEqual({
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      phone: '+4915123456789',
      status: 'active',
      city: null,
      country: 'DE',
      email_consent: false,
    });
  });
});
