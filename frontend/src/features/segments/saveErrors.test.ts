import { describe, expect, it } from 'vitest';

import { ApiError } from '@/api/errors';

import { saveErrors } from './saveErrors';

describe('saveErrors', () => {
  it('puts a duplicate name at the name', () => {
    const error = new ApiError({
      status: 409,
      code: 'conflict',
      message: 'A segment with this name exists',
      details: [{ loc: ['body', 'name'], message: 'A segment with this name exists' }],
    });
    expect(saveErrors(error)).toEqual({ name: 'A segment with this name exists', tree: null, form: null });
  });

  it('puts a refused rule at its rule', () => {
    const error = new ApiError({
      status: 422,
      code: 'validation_error',
      message: 'rules.1.value: not a country',
      details: [{ loc: ['body', 'rules', 'rules', 1, 'value'], message: 'not a country' }],
    });
    expect(saveErrors(error)).toEqual({ name: null, tree: { byPath: { '1': ['Not a country'] }, general: [] }, form: null });
  });

  it('shows anything else above the form', () => {
    const error = new ApiError({ status: 500, code: 'internal', message: 'Boom' });
    expect(saveErrors(error)).toEqual({ name: null, tree: null, form: 'Boom' });
  });
});
