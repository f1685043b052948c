'use strict';
// ccxt called directly, the baseline for the seam: the same exchanges, options and simulator.
// Usage: node direct-ccxt.js <engineDir> <simulatorUrl> <seconds> <exchange>...
// Prints one JSON line: {books, seconds}.
const [engineDir, base, seconds, ...ids] = process.argv.slice(2);
const ccxt = require(require.resolve('ccxt', { paths: [engineDir] }));
const { redirectExchange } = require(require('path').join(engineDir, 'redirect.js'));

function create(id) {
    const exchange = new ccxt[id]({ enableRateLimit: false, timeout: 10000 });
    exchange.has.fetchCurrencies = false;
    exchange.options.fetchMarkets = Object.assign(exchange.options.fetchMarkets || {}, { types: ['spot'] });
    redirectExchange(exchange, base);
    return exchange;
}

(async () => {
    const exchanges = ids.map(create);
    await Promise.all(exchanges.map((e) => e.loadMarkets()));
    let books = 0;
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(Math.round(Number(seconds) * 1e9));
    await Promise.all(exchanges.map(async (e) => {
        const symbols = e.symbols;
        for (let i = 0; process.hrtime.bigint() < deadline; i++) {
            const book = await e.fetchOrderBook(symbols[i % symbols.length], 100);
            if (book.bids.length === 0) throw new Error('empty book');
            books++;
        }
    }));
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    await Promise.all(exchanges.map((e) => e.close()));
    process.stdout.write(JSON.stringify({ books, seconds: elapsed }) + '\n');
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
