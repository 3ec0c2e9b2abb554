/**
 * A Vite plugin that writes every character past ASCII in the output files as a `\uXXXX` escape. The CLI
 * bundle has such characters (Å, ³, §, —) in comments and string literals. An escape means the same character
 * in a string, template or regular expression literal, and even in an identifier; only a raw template string
 * (`String.raw`, which the CLI does not use) would read the escape itself.
 * Why: Node reads an ASCII file into a one-byte string without decoding it, while one non-ASCII character
 * makes it decode the whole 0.5 MB into a two-byte string (~2 ms of every start). Done when the files are
 * final (generateBundle): Vite's own last transform writes escapes back as characters.
 */
const nonAscii = /[^\x00-\x7f]/g;

export function asciiOnly() {
  return {
    name: 'occupy-ascii-only',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk') file.code = file.code.replace(nonAscii, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
      }
    },
  };
}
