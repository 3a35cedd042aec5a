// Copies the non-TypeScript files the server reads at run time (SQL migrations, vocabularies kept as .tsv data) from src/ to dist/.
import fs from 'node:fs';
import path from 'node:path';

function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const from = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(from);
    else if (entry.name.endsWith('.sql') || ((entry.name.endsWith('.tsv') || from.includes(`${path.sep}data${path.sep}`)) && !from.includes('__fixtures__'))) {
      const to = path.join('dist', path.relative('src', from));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
}
walk('src');
