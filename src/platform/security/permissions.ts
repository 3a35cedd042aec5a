/** Actions a permission grants, and the data categories it applies to. `*` matches any. */
export const ACTIONS = ['read', 'write', 'print', 'export', 'disclose', 'review', 'admin'] as const;
export type Action = (typeof ACTIONS)[number];

export interface PermissionRule {
  action: string;
  category: string;
  effect: 'allow' | 'deny';
}

/**
 * A user's effective permissions: the union of their roles' rules and their own rules, where a deny
 * from anywhere beats any allow. Pure; built once per (user, permission version).
 */
export class PermissionSet {
  private readonly allow = new Set<string>();
  private readonly deny = new Set<string>();

  constructor(rules: readonly PermissionRule[]) {
    for (const r of rules) (r.effect === 'deny' ? this.deny : this.allow).add(`${r.action}:${r.category}`);
  }

  private matches(set: Set<string>, action: string, category: string): boolean {
    return set.has(`${action}:${category}`) || set.has(`*:${category}`) || set.has(`${action}:*`) || set.has('*:*');
  }

  /** Deny wins: a matching deny rule refuses even when an allow rule also matches. */
  can(action: string, category: string): boolean {
    if (this.matches(this.deny, action, category)) return false;
    return this.matches(this.allow, action, category);
  }

  /** The allowed `action:category` pairs that no deny cancels (for the web app's menus). */
  list(): string[] {
    return [...this.allow].filter((p) => {
      const [a, c] = p.split(':') as [string, string];
      return this.can(a, c);
    }).sort();
  }
}
