import { describe, expect, it } from 'vitest';
import { demographicsOf, emptyForm, formOf, type FormState } from './form';
import type { Demographics } from './types';

// The registration / edit form's next of kin, with an address (pure: the form's state to and from demographics).
const stored: Demographics = {
  ...demographicsOf(emptyForm()),
  names: [{ family: 'Abernathy', given: 'Katherine', use: 'official' }],
  nextOfKin: [
    { name: 'Thomas Abernathy', relationship: 'spouse', phone: '217-555-0100', address: { line1: '12 Harbor Rd', line2: 'Apt 3B', city: 'Springfield', state: 'IL', postalCode: '62704', use: 'home' } },
    { name: 'Ruth Abernathy' },
  ],
};
const kinRows = (f: FormState) => f.nextOfKin;

describe('next of kin in the patient form', () => {
  it('comes back as stored when the clerk changed nothing', () => {
    const f = formOf(stored);
    expect(kinRows(f)[0]).toMatchObject({ addressLine: '12 Harbor Rd', addressCity: 'Springfield', addressState: 'IL', addressZip: '62704' });
    expect(demographicsOf(f, stored).nextOfKin).toEqual(stored.nextOfKin);
  });

  it('changes the shown parts of the address and keeps the others (second line, use)', () => {
    const f = formOf(stored);
    f.nextOfKin[0] = { ...f.nextOfKin[0]!, addressCity: ' Decatur ', addressZip: '62521' };
    expect(demographicsOf(f, stored).nextOfKin[0]!.address).toEqual({ line1: '12 Harbor Rd', line2: 'Apt 3B', city: 'Decatur', state: 'IL', postalCode: '62521', use: 'home' });
  });

  it('gives a new kin the address typed, and none when no part is typed', () => {
    const f = formOf(stored);
    f.nextOfKin[1] = { ...f.nextOfKin[1]!, addressLine: '4 Elm St', addressZip: '62521' };
    f.nextOfKin.push({ ...f.nextOfKin[1], id: 'k3', base: undefined, name: 'Ann Lee', addressLine: '', addressZip: '' });
    const kin = demographicsOf(f, stored).nextOfKin;
    expect(kin[1]).toEqual({ name: 'Ruth Abernathy', address: { line1: '4 Elm St', postalCode: '62521' } });
    expect(kin[2]).toEqual({ name: 'Ann Lee' });
  });

  it('drops the address when the clerk clears every part of it', () => {
    const only: Demographics = { ...stored, nextOfKin: [{ name: 'Thomas Abernathy', address: { line1: '12 Harbor Rd', city: 'Springfield' } }] };
    const f = formOf(only);
    f.nextOfKin[0] = { ...f.nextOfKin[0]!, addressLine: '', addressCity: '' };
    expect(demographicsOf(f, only).nextOfKin).toEqual([{ name: 'Thomas Abernathy' }]);
  });
});

describe('the guarantor in the patient form', () => {
  it('is none until added, at most one, and comes back as stored when unchanged', () => {
    expect(emptyForm().guarantor).toEqual([]);
    expect('guarantor' in demographicsOf(emptyForm())).toBe(false);
    const withGuarantor: Demographics = { ...stored, guarantor: { name: 'Thomas Abernathy', relationship: 'spouse', address: { line1: '12 Harbor Rd', city: 'Springfield' } } };
    const f = formOf(withGuarantor);
    expect(f.guarantor).toHaveLength(1);
    expect(demographicsOf(f, withGuarantor).guarantor).toEqual(withGuarantor.guarantor);
  });

  it('is written from its row, and removed (null) when the clerk removes the row', () => {
    const f = formOf(stored);
    f.guarantor = [{ id: 'g1', name: ' Ruth Abernathy ', relationship: 'parent', phone: '217-555-0199', addressLine: '4 Elm St', addressCity: 'Decatur', addressState: 'IL', addressZip: '62521' }];
    const d = demographicsOf(f, stored);
    expect(d.guarantor).toEqual({ name: 'Ruth Abernathy', relationship: 'parent', phone: '217-555-0199', address: { line1: '4 Elm St', city: 'Decatur', state: 'IL', postalCode: '62521' } });
    const again = formOf(d);
    again.guarantor = [];
    expect(demographicsOf(again, d).guarantor).toBeNull();
  });
});
