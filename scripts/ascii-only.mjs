/**
 * A Vite plugin that writes every character past ASCII in the output files as a `\uXXXX` escape. Why: Node
 * reads an ASCII file into a one-byte string without decoding it, while one non-ASCII character makes it
 * decode the whole 0.5 MB CLI bundle into a two-byte string (~2 ms of every start).
 *
 * The bundle has such characters (Å, ³, §, —) only in comments, string literals and untagged templates, where
 * the escape means the same character (or nothing, in a comment). Places where it would not, and which the CLI
 * does not have: a tagged template's raw strings, `RegExp.prototype.source`, `Function.prototype.toString`;
 * those the build cannot see are listed here, those it can are refused: a character right after a backslash
 * (`\é` would become `\\u00e9`), and U+2028/U+2029, which end a `//` comment where the escape would not.
 * Done when the files are final (generateBundle): Vite's own last transform writes escapes back as characters.
 */
const nonAscii = /[^\x00-\x7f]/g;

function escapeNonAscii(code, fileName) {
  return code.replace(nonAscii, (ch, at) => {
    if (ch === '\u2028' || ch === '\u2029' || code[at - 1] === '\\') {
      throw new Error(`${fileName}: cannot write U+${ch.charCodeAt(0).toString(16).padStart(4, '0')} at offset ${at} as an escape without changing the program`);
    }
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function asciiOnly() {
  return {
    name: 'occupy-ascii-only',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk') file.code = escapeNonAscii(file.code, file.fileName);
      }
    },
  };
}
