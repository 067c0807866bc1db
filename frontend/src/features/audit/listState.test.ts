import { describe, expect, it } from 'vitest';

import { actionLabel, auditListCodec, toAuditQuery } from './listState';

describe('audit list state', () => {
  it('keeps a well-formed action and drops anything else', () => {
    expect(auditListCodec.parse(new URLSearchParams('action=customer.erase')).action).toBe('customer.erase');
    expect(auditListCodec.parse(new URLSearchParams('action=DROP%20TABLE')).action).toBeUndefined();
  });

  it('round-trips and asks the API for the page', () => {
    const state = auditListCodec.parse(new URLSearchParams('action=import.start&limit=50&cursor=a.b&page=3'));
    expect(auditListCodec.serialize(state).toString()).toBe('action=import.start&limit=50&cursor=a.b&page=3');
    expect(toAuditQuery(state)).toEqual({ action: 'import.start', limit: 50, cursor: 'a.b' });
  });

  it('names known actions and shows unknown ones as they are', () => {
    expect(actionLabel('customer.export')).toBe('Personal data downloaded');
    expect(actionLabel('flow.send')).toBe('flow.send');
  });
});
