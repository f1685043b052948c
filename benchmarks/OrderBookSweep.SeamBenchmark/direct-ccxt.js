'use strict';
// ccxt called directly, the baseline for the seam: the same exchanges, options and simulator.
// Usage: node direct-ccxt.js <engineDir> <simulatorUrl> <warmUpSeconds> <seconds> <inFlight> <exchange>...
// The warm-up runs the same loop unmeasured first, so V8 is as warm as the seam's long-lived engine.
// Prints one JSON line: {books, seconds, cpuSeconds} (CPU of the measured window only).
const [engineDir, base, warmUpSeconds, seconds, inFlight, ...ids] = process.argv.slice(2);
const ccxt = require(require.resolve('ccxt', { paths: [engineDir] }));
const { redirectExchange } = require(require('path').join(engineDir, 'redirect.js'));

function create(id) {
    const exchange = new ccxt[id]({ enableRateLimit: false, timeout: 10000 });
    exchange.has.fetchCurrencies = false;
    exchange.options.fetchMarkets = Object.assign(exchange.options.fetchMarkets || {}, { types: ['spot'] });
    redirectExchange(exchange, base);
    return exchange;
}

// Fetches books on every exchange, `inFlight` calls in flight per exchange, for `seconds`.
async function fetchFor(exchanges, seconds) {
    let books = 0;
    const deadline = process.hrtime.bigint() + BigInt(Math.round(Number(seconds) * 1e9));
    await Promise.all(exchanges.flatMap((e) => Array.from({ length: Number(inFlight) }, async (_, lane) => {
        const symbols = e.symbols;
        for (let i = lane; process.hrtime.bigint() < deadline; i += Number(inFlight)) {
            const book = await e.fetchOrderBook(symbols[i % symbols.length], 100);
            if (book.bids.length === 0) throw new Error('empty book');
            books++;
        }
    })));
    return books;
}

(async () => {
    const exchanges = ids.map(create);
    await Promise.all(exchanges.map((e) => e.loadMarkets()));
    await fetchFor(exchanges, warmUpSeconds);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const books = await fetchFor(exchanges, seconds);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    await Promise.all(exchanges.map((e) => e.close()));
    process.stdout.write(JSON.stringify({ books, seconds: elapsed, cpuSeconds: (used.user + used.system) / 1e6 }) + '\n');
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
