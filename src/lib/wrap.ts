/**
 * Hard word wrap of plain text, the same output as wrap-ansi 7 with `{hard: true}` (what oclif's help
 * formatter calls for every text), for printable ASCII: there every character is one column, so the
 * string-width and escape-code scanning wrap-ansi does per character (a third of a `--help` run) has
 * nothing to find. Anything else returns undefined (the caller uses wrap-ansi). A property test holds
 * the two equal.
 */
const PLAIN = /^[\x20-\x7e\n]*$/;

export function wrapPlain(text: string, columns: number): string | undefined {
  if (!PLAIN.test(text) || !(columns >= 1)) return undefined;
  return text
    .split('\n')
    .map((line) => wrapLine(line, columns))
    .join('\n');
}

function wrapLine(line: string, columns: number): string {
  if (line.trim() === '') return '';
  const rows = [''];
  const words = line.split(' ');
  words.forEach((word, index) => {
    rows[rows.length - 1] = rows[rows.length - 1]!.trimStart();
    let rowLength = rows[rows.length - 1]!.length;
    if (index !== 0 && rowLength > 0) {
      rows[rows.length - 1] += ' ';
      rowLength++;
    }
    if (word.length > columns) {
      // A word longer than a line is cut: on this line when that takes no more breaks than starting it on the next.
      const breaksStartingThisLine = 1 + Math.floor((word.length - (columns - rowLength) - 1) / columns);
      const breaksStartingNextLine = Math.floor((word.length - 1) / columns);
      if (breaksStartingNextLine < breaksStartingThisLine) rows.push('');
      cutWord(rows, word, columns);
      return;
    }
    if (rowLength + word.length > columns && rowLength > 0 && word.length > 0) rows.push('');
    rows[rows.length - 1] += word;
  });
  // Spaces at the end of a row go (wrap-ansi's right trim keeps other whitespace).
  return rows.map((row) => row.replace(/ +$/, '')).join('\n');
}

function cutWord(rows: string[], word: string, columns: number): void {
  let visible = rows[rows.length - 1]!.length;
  for (let i = 0; i < word.length; i++) {
    if (visible + 1 <= columns) rows[rows.length - 1] += word[i];
    else {
      rows.push(word[i]!);
      visible = 0;
    }
    visible++;
    if (visible === columns && i < word.length - 1) {
      rows.push('');
      visible = 0;
    }
  }
  if (!visible && rows[rows.length - 1]!.length > 0 && rows.length > 1) rows[rows.length - 2] += rows.pop();
}
