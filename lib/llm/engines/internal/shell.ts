/**
 * POSIX shell quoting for the `/bin/sh -c` command lines the multi-node launch specs need.
 *
 * Kubernetes expands `$(VAR)` references in `command`/`args` before the shell runs, whatever the shell
 * quoting, so tokens holding Grove `$(GROVE_...)` templates may be quoted safely.
 */

const SAFE_TOKEN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one word for a POSIX shell: unchanged when it only has safe characters, otherwise wrapped in single
 * quotes with embedded single quotes written as `'\''`.
 *
 * @param word the word
 */
export function shellQuote(word: string): string {
  if (word.length > 0 && SAFE_TOKEN.test(word)) {
    return word;
  }
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Joins words into one shell command line, quoting each.
 *
 * @param words the words
 */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
