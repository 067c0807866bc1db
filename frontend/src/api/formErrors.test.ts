import { describe, expect, it } from 'vitest';

import { ApiError } from './errors';
import { formErrorsFromApi } from './formErrors';

const FIELDS = ['first_name', 'last_name', 'email', 'phone', 'country'] as const;

describe('formErrorsFromApi', () => {
  it('maps a 422 onto the fields named by loc[1..]', () => {
    const error = new ApiError({
      status: 422,
      code: 'validation_error',
      message: 'first_name: String should have at least 1 character (and 1 more)',
      details: [
        { loc: ['body', 'first_name'], message: 'String should have at least 1 character', type: 'string_too_short' },
        { loc: ['body', 'phone'], message: "String should match pattern '^\\+[1-9][0-9]{6,14}$'", type: 'x' },
        { loc: ['body', 'phone'], message: 'a second message', type: 'y' },
      ],
    });
    expect(formErrorsFromApi(error, FIELDS)).toEqual({
      fields: {
        first_name: 'String should have at least 1 character',
        phone: "String should match pattern '^\\+[1-9][0-9]{6,14}$'",
      },
      formMessage: null,
    });
  });

  it('maps a 409 duplicate email onto the email field', () => {
    const error = new ApiError({
      status: 409,
      code: 'conflict',
      message: 'Another customer already has this email',
      details: [{ loc: ['body', 'email'], message: 'already used by another customer', type: 'conflict' }],
    });
    expect(formErrorsFromApi(error, FIELDS)).toEqual({
      fields: { email: 'Already used by another customer' },
      formMessage: null,
    });
  });

  it('joins nested locations with dots', () => {
    const error = new ApiError({
      status: 422,
      code: 'validation_error',
      message: 'bad',
      details: [{ loc: ['body', 'shipping', 'city'], message: 'too long', type: 't' }],
    });
    expect(formErrorsFromApi(error).fields).toEqual({ 'shipping.city': 'Too long' });
  });

  it('keeps the message for the form when a detail names no known field', () => {
    const error = new ApiError({
      status: 422,
      code: 'validation_error',
      message: 'cursor: not a cursor',
      details: [
        { loc: ['query', 'cursor'], message: 'not a cursor', type: 'value_error' },
        { loc: ['body', 'email'], message: 'bad email', type: 'value_error' },
        { loc: ['body', 'nickname'], message: 'extra field', type: 'extra_forbidden' },
      ],
    });
    expect(formErrorsFromApi(error, FIELDS)).toEqual({
      fields: { email: 'Bad email' },
      formMessage: 'cursor: not a cursor',
    });
  });

  it('puts errors without details (403, 500, network) above the form', () => {
    const forbidden = new ApiError({ status: 403, code: 'forbidden', message: 'Role not allowed' });
    expect(formErrorsFromApi(forbidden, FIELDS)).toEqual({ fields: {}, formMessage: 'Role not allowed' });
    expect(formErrorsFromApi(new Error('boom'))).toEqual({ fields: {}, formMessage: 'boom' });
  });
});
