import { describe, expect, it } from 'vitest';
import { codeRefs, inRefs } from './excludes.js';

describe('codeRefs: the codes an Excludes note points at', () => {
  it('reads single codes, dashes, lists and ranges in parentheses', () => {
    expect(codeRefs('Clostridium difficile foodborne intoxication and infection (A04.7-)')).toEqual([{ from: 'A047', to: 'A047' }]);
    expect(codeRefs('influenza with involvement of gastrointestinal tract (J09.X3, J10.2, J11.2)')).toEqual([
      { from: 'J09X3', to: 'J09X3' }, { from: 'J102', to: 'J102' }, { from: 'J112', to: 'J112' },
    ]);
    expect(codeRefs('Escherichia coli infection (A04.0-A04.4)')).toEqual([{ from: 'A040', to: 'A044' }]);
    expect(codeRefs('hypertensive disease complicating pregnancy (O10-O11, O13-O16)')).toEqual([{ from: 'O10', to: 'O11' }, { from: 'O13', to: 'O16' }]);
    expect(codeRefs('sequelae of leprosy (B92)')).toEqual([{ from: 'B92', to: 'B92' }]);
  });

  it('ignores parentheses that hold no code', () => {
    expect(codeRefs('certain localized infections - see body system-related chapters')).toEqual([]);
    expect(codeRefs('neonatal (disseminated) listeriosis (P37.2)')).toEqual([{ from: 'P372', to: 'P372' }]);
  });
});

describe('inRefs', () => {
  it('places a code in a prefix or a range by its first characters', () => {
    expect(inRefs('A04.71', codeRefs('(A04.7-)'))).toBe(true);
    expect(inRefs('A04.8', codeRefs('(A04.7-)'))).toBe(false);
    expect(inRefs('O10.019', codeRefs('(O10-O11)'))).toBe(true);
    expect(inRefs('o1193', codeRefs('(O10-O11)'))).toBe(true);
    expect(inRefs('O12.00', codeRefs('(O10-O11)'))).toBe(false);
    expect(inRefs('A04.3', codeRefs('(A04.0-A04.4)'))).toBe(true);
    expect(inRefs('A04.5', codeRefs('(A04.0-A04.4)'))).toBe(false);
  });
});
