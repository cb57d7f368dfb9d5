import type { Instruction } from 'dockerfile-ast';

/** A token of a shell script: a word (quotes removed) or a control operator. */
export interface ShellToken {
  readonly kind: 'word' | 'operator';
  readonly text: string;
}

const OPERATORS = ['&&', '||', ';;', '|', ';', '&', '(', ')'] as const;

/**
 * Splits a shell script into words and control operators (`&&`, `||`, `|`, `;`, `&`, newline
 * as `;`, parentheses), as sh would at the top level: quotes group and are removed, `$(…)` stays
 * inside its word, `#` starts a comment, a backslash escapes the next character. Enough for
 * lint rules about commands and pipes; not a full shell parser (no here-documents, no aliases).
 */
export function shellTokens(script: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) tokens.push({ kind: 'word', text: word });
    word = '';
    inWord = false;
  };
  let i = 0;
  while (i < script.length) {
    const char = script[i] ?? '';
    if (char === '\\') {
      if (script[i + 1] !== '\n') {
        word += script[i + 1] ?? '';
        inWord = true;
      }
      i += 2;
    } else if (char === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? script.length : end;
      word += script.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
    } else if (char === '"') {
      i = readDoubleQuoted(script, i + 1, (text) => {
        word += text;
      });
      inWord = true;
    } else if (char === '$' && script[i + 1] === '(') {
      const end = substitutionEnd(script, i + 2);
      word += script.slice(i, end);
      inWord = true;
      i = end;
    } else if (char === '#' && !inWord) {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end;
    } else if (char === ' ' || char === '\t') {
      endWord();
      i += 1;
    } else if (char === '\n') {
      endWord();
      tokens.push({ kind: 'operator', text: ';' });
      i += 1;
    } else {
      // `>&2`, `2>&1`: the `&` of a redirection belongs to its word.
      const redirection = char === '&' && (word.endsWith('>') || word.endsWith('<'));
      const operator = redirection ? undefined : OPERATORS.find((op) => script.startsWith(op, i));
      if (operator) {
        endWord();
        tokens.push({ kind: 'operator', text: operator });
        i += operator.length;
      } else {
        word += char;
        inWord = true;
        i += 1;
      }
    }
  }
  endWord();
  return tokens;
}

/** Reads a double-quoted string from `start` (after the quote); returns the index after it. */
function readDoubleQuoted(script: string, start: number, append: (text: string) => void): number {
  let i = start;
  while (i < script.length && script[i] !== '"') {
    if (script[i] === '\\' && i + 1 < script.length) {
      append(script[i + 1] ?? '');
      i += 2;
    } else if (script[i] === '$' && script[i + 1] === '(') {
      const end = substitutionEnd(script, i + 2);
      append(script.slice(i, end));
      i = end;
    } else {
      append(script[i] ?? '');
      i += 1;
    }
  }
  return i + 1;
}

/** The index after the `)` that closes a `$(` whose body starts at `start`. */
function substitutionEnd(script: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < script.length && depth > 0) {
    const char = script[i];
    if (char === "'") {
      const end = script.indexOf("'", i + 1);
      i = end < 0 ? script.length : end + 1;
    } else if (char === '"') {
      i = readDoubleQuoted(script, i + 1, () => {});
    } else {
      if (char === '(') depth += 1;
      if (char === ')') depth -= 1;
      i += 1;
    }
  }
  return i;
}

const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{']);
const CLOSING_KEYWORDS = new Set(['fi', 'done', 'esac', '}']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The simple commands of a RUN: for each, its words without the shell keywords around it
 * (`if`, `then`, `fi`, …) and without leading `VAR=value` assignments, so that `words[0]` is
 * the program. A JSON-form RUN is one command, run without a shell.
 */
export function runCommands(run: Instruction): string[][] {
  const content = run.getArgumentsContent() ?? '';
  if (isJsonForm(content)) {
    try {
      const words: unknown = JSON.parse(content);
      return Array.isArray(words) ? [words.map(String)] : [];
    } catch {
      return [];
    }
  }
  const commands: string[][] = [];
  let words: string[] = [];
  const endCommand = (): void => {
    while (words.length > 0 && LEADING_KEYWORDS.has(words[0] ?? '')) words.shift();
    while (words.length > 0 && ASSIGNMENT.test(words[0] ?? '')) words.shift();
    if (words.length > 0 && !CLOSING_KEYWORDS.has(words[0] ?? '')) commands.push(words);
    words = [];
  };
  for (const token of shellTokens(content)) {
    if (token.kind === 'operator') endCommand();
    else words.push(token.text);
  }
  endCommand();
  return commands;
}

/** Whether a RUN pipes one command into another (`|`, not `||`) in shell form. */
export function runHasPipe(run: Instruction): boolean {
  const content = run.getArgumentsContent() ?? '';
  return !isJsonForm(content) && shellTokens(content).some((t) => t.kind === 'operator' && t.text === '|');
}

/** Whether an instruction's arguments are written in JSON (exec) form. */
export function isJsonForm(content: string): boolean {
  return content.trimStart().startsWith('[');
}
