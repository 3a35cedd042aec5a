/**
 * Double Metaphone (Lawrence Philips, 2000; the algorithm was published into the public domain), written
 * here from the published rules. Returns the primary and secondary codes, at most four characters each.
 */
const VOWELS = new Set(['A', 'E', 'I', 'O', 'U', 'Y']);

export function doubleMetaphone(input: string): [string, string] {
  const w = input.toUpperCase().replace(/[^A-ZÇÑ]/g, '');
  const length = w.length;
  if (length === 0) return ['', ''];
  const last = length - 1;
  const padded = w + '     ';
  const ch = (i: number): string => (i < 0 ? '' : (padded[i] ?? ''));
  const at = (i: number, ...subs: string[]): boolean => i >= 0 && subs.some((s) => padded.startsWith(s, i));
  const vowel = (i: number): boolean => VOWELS.has(ch(i));
  const slavoGermanic = /W|K|CZ|WITZ/.test(w);
  const germanic = at(0, 'VAN ', 'VON ', 'SCH');
  let p = '';
  let s = '';
  const add = (a: string, b: string = a): void => {
    p += a;
    s += b;
  };
  let i = 0;
  if (at(0, 'GN', 'KN', 'PN', 'WR', 'PS')) i = 1;
  if (ch(0) === 'X') {
    add('S');
    i = 1;
  }
  while (i < length && (p.length < 4 || s.length < 4)) {
    const c = ch(i);
    const next = ch(i + 1);
    switch (c) {
      case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
        if (i === 0) add('A');
        i += 1;
        break;
      case 'B':
        add('P');
        i += next === 'B' ? 2 : 1;
        break;
      case 'Ç':
        add('S');
        i += 1;
        break;
      case 'C':
        i += consonantC();
        break;
      case 'D':
        if (at(i, 'DG')) {
          if (at(i + 2, 'I', 'E', 'Y')) {
            add('J');
            i += 3;
          } else {
            add('TK');
            i += 2;
          }
        } else if (at(i, 'DT', 'DD')) {
          add('T');
          i += 2;
        } else {
          add('T');
          i += 1;
        }
        break;
      case 'F': case 'K': case 'N': case 'Q': case 'V':
        add(c === 'Q' ? 'K' : c === 'V' ? 'F' : c);
        i += next === c ? 2 : 1;
        break;
      case 'Ñ':
        add('N');
        i += 1;
        break;
      case 'G':
        i += consonantG();
        break;
      case 'H':
        if ((i === 0 || vowel(i - 1)) && vowel(i + 1)) {
          add('H');
          i += 2;
        } else i += 1;
        break;
      case 'J':
        if (at(i, 'JOSE') || at(0, 'SAN ')) {
          if ((i === 0 && ch(i + 4) === ' ') || at(0, 'SAN ')) add('H');
          else add('J', 'H');
          i += 1;
          break;
        }
        if (i === 0) add('J', 'A');
        else if (vowel(i - 1) && !slavoGermanic && (next === 'A' || next === 'O')) add('J', 'H');
        else if (i === last) add('J', '');
        else if (!at(i + 1, 'L', 'T', 'K', 'S', 'N', 'M', 'B', 'Z') && !at(i - 1, 'S', 'K', 'L')) add('J');
        i += next === 'J' ? 2 : 1;
        break;
      case 'L':
        if (next === 'L') {
          if ((i === length - 3 && at(i - 1, 'ILLO', 'ILLA', 'ALLE')) || ((at(last - 1, 'AS', 'OS') || at(last, 'A', 'O')) && at(i - 1, 'ALLE'))) add('L', '');
          else add('L');
          i += 2;
        } else {
          add('L');
          i += 1;
        }
        break;
      case 'M':
        add('M');
        i += (at(i - 1, 'UMB') && (i + 1 === last || at(i + 2, 'ER'))) || next === 'M' ? 2 : 1;
        break;
      case 'P':
        if (next === 'H') {
          add('F');
          i += 2;
        } else {
          add('P');
          i += next === 'P' || next === 'B' ? 2 : 1;
        }
        break;
      case 'R':
        if (i === last && !slavoGermanic && at(i - 2, 'IE') && !at(i - 4, 'ME', 'MA')) add('', 'R');
        else add('R');
        i += next === 'R' ? 2 : 1;
        break;
      case 'S':
        i += consonantS();
        break;
      case 'T':
        if (at(i, 'TION', 'TIA', 'TCH')) {
          add('X');
          i += 3;
        } else if (at(i, 'TH', 'TTH')) {
          if (at(i + 2, 'OM', 'AM') || germanic) add('T');
          else add('0', 'T');
          i += 2;
        } else {
          add('T');
          i += next === 'T' || next === 'D' ? 2 : 1;
        }
        break;
      case 'W':
        if (at(i, 'WR')) {
          add('R');
          i += 2;
          break;
        }
        if (i === 0 && (vowel(i + 1) || at(i, 'WH'))) {
          if (vowel(i + 1)) add('A', 'F');
          else add('A');
        }
        if ((i === last && vowel(i - 1)) || at(i - 1, 'EWSKI', 'EWSKY', 'OWSKI', 'OWSKY') || at(0, 'SCH')) {
          add('', 'F');
          i += 1;
        } else if (at(i, 'WICZ', 'WITZ')) {
          add('TS', 'FX');
          i += 4;
        } else i += 1;
        break;
      case 'X':
        if (!(i === last && (at(i - 3, 'IAU', 'EAU') || at(i - 2, 'AU', 'OU')))) add('KS');
        i += next === 'C' || next === 'X' ? 2 : 1;
        break;
      case 'Z':
        if (next === 'H') {
          add('J');
          i += 2;
          break;
        }
        if (at(i + 1, 'ZO', 'ZI', 'ZA') || (slavoGermanic && i > 0 && ch(i - 1) !== 'T')) add('S', 'TS');
        else add('S');
        i += next === 'Z' ? 2 : 1;
        break;
      default:
        i += 1;
    }
  }
  return [p.slice(0, 4), s.slice(0, 4)];

  function consonantC(): number {
    if (i > 1 && !vowel(i - 2) && at(i - 1, 'ACH') && ch(i + 2) !== 'I' && (ch(i + 2) !== 'E' || at(i - 2, 'BACHER', 'MACHER'))) {
      add('K');
      return 2;
    }
    if (i === 0 && at(i, 'CAESAR')) {
      add('S');
      return 2;
    }
    if (at(i, 'CHIA')) {
      add('K');
      return 2;
    }
    if (at(i, 'CH')) {
      if (i > 0 && at(i, 'CHAE')) add('K', 'X');
      else if (i === 0 && (at(i + 1, 'HARAC', 'HARIS') || at(i + 1, 'HOR', 'HYM', 'HIA', 'HEM')) && !at(0, 'CHORE')) add('K');
      else if (germanic || at(i - 2, 'ORCHES', 'ARCHIT', 'ORCHID') || at(i + 2, 'T', 'S') || ((i === 0 || at(i - 1, 'A', 'O', 'U', 'E')) && at(i + 2, 'L', 'R', 'N', 'M', 'B', 'H', 'F', 'V', 'W', ' '))) add('K');
      else if (i > 0) {
        if (at(0, 'MC')) add('K');
        else add('X', 'K');
      } else add('X');
      return 2;
    }
    if (at(i, 'CZ') && !at(i - 2, 'WICZ')) {
      add('S', 'X');
      return 2;
    }
    if (at(i + 1, 'CIA')) {
      add('X');
      return 3;
    }
    if (at(i, 'CC') && !(i === 1 && ch(0) === 'M')) {
      if (at(i + 2, 'I', 'E', 'H') && !at(i + 2, 'HU')) {
        if ((i === 1 && ch(0) === 'A') || at(i - 1, 'UCCEE', 'UCCES')) add('KS');
        else add('X');
        return 3;
      }
      add('K');
      return 2;
    }
    if (at(i, 'CK', 'CG', 'CQ')) {
      add('K');
      return 2;
    }
    if (at(i, 'CI', 'CE', 'CY')) {
      if (at(i, 'CIO', 'CIE', 'CIA')) add('S', 'X');
      else add('S');
      return 2;
    }
    add('K');
    if (at(i + 1, ' C', ' Q', ' G')) return 3;
    if (at(i + 1, 'C', 'K', 'Q') && !at(i + 1, 'CE', 'CI')) return 2;
    return 1;
  }

  function consonantG(): number {
    const next = ch(i + 1);
    if (next === 'H') {
      if (i > 0 && !vowel(i - 1)) add('K');
      else if (i === 0) add(ch(i + 2) === 'I' ? 'J' : 'K');
      else if ((i > 1 && at(i - 2, 'B', 'H', 'D')) || (i > 2 && at(i - 3, 'B', 'H', 'D')) || (i > 3 && at(i - 4, 'B', 'H'))) {
        /* silent, as in "bough", "hugh" */
      } else if (i > 2 && ch(i - 1) === 'U' && at(i - 3, 'C', 'G', 'L', 'R', 'T')) add('F');
      else if (i > 0 && ch(i - 1) !== 'I') add('K');
      return 2;
    }
    if (next === 'N') {
      if (i === 1 && vowel(0) && !slavoGermanic) add('KN', 'N');
      else if (!at(i + 2, 'EY') && !slavoGermanic) add('N', 'KN');
      else add('KN');
      return 2;
    }
    if (at(i + 1, 'LI') && !slavoGermanic) {
      add('KL', 'L');
      return 2;
    }
    if (i === 0 && (next === 'Y' || at(i + 1, 'ES', 'EP', 'EB', 'EL', 'EY', 'IB', 'IL', 'IN', 'IE', 'EI', 'ER'))) {
      add('K', 'J');
      return 2;
    }
    if ((at(i + 1, 'ER') || next === 'Y') && !at(0, 'DANGER', 'RANGER', 'MANGER') && !at(i - 1, 'E', 'I') && !at(i - 1, 'RGY', 'OGY')) {
      add('K', 'J');
      return 2;
    }
    if (at(i + 1, 'E', 'I', 'Y') || at(i - 1, 'AGGI', 'OGGI')) {
      if (germanic || at(i + 1, 'ET')) add('K');
      else if (at(i + 1, 'IER ')) add('J');
      else add('J', 'K');
      return 2;
    }
    add('K');
    return next === 'G' ? 2 : 1;
  }

  function consonantS(): number {
    if (at(i - 1, 'ISL', 'YSL')) return 1;
    if (i === 0 && at(i, 'SUGAR')) {
      add('X', 'S');
      return 1;
    }
    if (at(i, 'SH')) {
      add(at(i + 1, 'HEIM', 'HOEK', 'HOLM', 'HOLZ') ? 'S' : 'X');
      return 2;
    }
    if (at(i, 'SIO', 'SIA')) {
      if (slavoGermanic) add('S');
      else add('S', 'X');
      return 3;
    }
    if ((i === 0 && at(i + 1, 'M', 'N', 'L', 'W')) || at(i + 1, 'Z')) {
      add('S', 'X');
      return at(i + 1, 'Z') ? 2 : 1;
    }
    if (at(i, 'SC')) {
      if (ch(i + 2) === 'H') {
        if (at(i + 3, 'OO', 'ER', 'EN', 'UY', 'ED', 'EM')) {
          if (at(i + 3, 'ER', 'EN')) add('X', 'SK');
          else add('SK');
        } else if (i === 0 && !vowel(3) && ch(3) !== 'W') add('X', 'S');
        else add('X');
        return 3;
      }
      if (at(i + 2, 'I', 'E', 'Y')) add('S');
      else add('SK');
      return 3;
    }
    if (i === last && at(i - 2, 'AI', 'OI')) add('', 'S');
    else add('S');
    return at(i + 1, 'S', 'Z') ? 2 : 1;
  }
}
