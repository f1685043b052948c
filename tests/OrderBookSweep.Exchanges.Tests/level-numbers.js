'use strict';
// A JavaScript reader of the API (as the board is): parses a book as the API serves it and compares
// its levels' numbers with the ones ccxt held, given as JavaScript number literals.
// Usage: node level-numbers.js <book JSON> <JSON array of literals: bids then asks, price then amount>
// Prints one JSON line: {same: [per number, whether the book holds exactly it], printed: [String(number)]}.
const [bookJson, literalsJson] = process.argv.slice(2);
const book = JSON.parse(bookJson);
const held = JSON.parse(literalsJson).map(Number);
const read = [...book.bids, ...book.asks].flat();
process.stdout.write(JSON.stringify({
    same: held.map((x, i) => Object.is(x, read[i])),
    printed: held.map(String),
}) + '\n');
