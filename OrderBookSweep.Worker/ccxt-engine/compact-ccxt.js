'use strict';
// Run once after `npm ci` (the Worker's build does): rewrites ccxt's ESM sources in place without
// their comments and indentation. V8 keeps each imported module's source text for as long as the
// module lives, to compile its functions lazily, and half of ccxt's 15 MB of exchange sources is
// JSDoc and indentation; a few files' comments hold characters outside Latin-1, which makes V8 keep
// the whole file as two bytes a character. An engine that has met every exchange holds about
// 17 MiB less V8 heap this way (docs/performance.md#memory).
//
// The code itself is untouched: esbuild parses each file and prints the same statements with the
// same names, only the whitespace and comments go (license comments stay), and non-ASCII characters
// in strings become escapes of the same value.

const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const sources = path.join(__dirname, 'node_modules', 'ccxt', 'js', 'src');

function* files(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            yield* files(full);
        } else if (entry.name.endsWith('.js')) {
            yield full;
        }
    }
}

let before = 0;
let after = 0;
for (const file of files(sources)) {
    const source = fs.readFileSync(file, 'utf8');
    const compact = esbuild.transformSync(source, {
        format: 'esm',
        minifyWhitespace: true,
        legalComments: 'inline',
        target: 'node20',
        sourcefile: file,
    }).code;
    before += source.length;
    after += compact.length;
    fs.writeFileSync(file, compact);
}
console.log(`ccxt's sources compacted: ${(before / 1e6).toFixed(1)} MB -> ${(after / 1e6).toFixed(1)} MB`);
