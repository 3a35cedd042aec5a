import { describe, expect, it } from 'vitest';
import { PermissionSet } from './permissions.js';

describe('PermissionSet', () => {
  it('allows what a rule allows and nothing else', () => {
    const p = new PermissionSet([{ action: 'read', category: 'clinical', effect: 'allow' }]);
    expect(p.can('read', 'clinical')).toBe(true);
    expect(p.can('write', 'clinical')).toBe(false);
    expect(p.can('read', 'billing')).toBe(false);
  });

  it('lets a deny win over any allow, from any role, wildcards included', () => {
    const p = new PermissionSet([
      { action: '*', category: 'clinical', effect: 'allow' },
      { action: 'read', category: '*', effect: 'allow' },
      { action: 'read', category: 'sensitive', effect: 'deny' },
      { action: 'export', category: '*', effect: 'deny' },
    ]);
    expect(p.can('write', 'clinical')).toBe(true);
    expect(p.can('read', 'sensitive')).toBe(false);
    expect(p.can('export', 'clinical')).toBe(false);
    expect(p.list()).not.toContain('read:sensitive');
  });

  it('lists effective permissions without the denied ones', () => {
    const p = new PermissionSet([
      { action: 'read', category: 'audit', effect: 'allow' },
      { action: 'export', category: 'audit', effect: 'allow' },
      { action: 'export', category: 'audit', effect: 'deny' },
    ]);
    expect(p.list()).toEqual(['read:audit']);
  });
});
