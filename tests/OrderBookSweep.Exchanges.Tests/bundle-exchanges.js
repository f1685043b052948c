'use strict';
// ccxt.exchanges as the whole package reports it (the CommonJS bundle, every exchange loaded).
// Usage: node bundle-exchanges.js <engineDir>. Prints one JSON line: {ids}.
const ccxt = require(require.resolve('ccxt', { paths: [process.argv[2]] }));
process.stdout.write(JSON.stringify({ ids: ccxt.exchanges }) + '\n');
