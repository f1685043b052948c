'use strict';
// The single-process peer of a sweep: ccxt's "async gather concurrency" example done directly.
// For each exchange id, 5 at a time: create, load markets, fetch every symbol's order book, close.
// Same ccxt (the Worker's pinned copy), same options and same simulator as the system's engine.
// Usage: node peer.js <engineDir> <simulatorUrl> <enableRateLimit true|false> <rateLimitScale> <exchangeConcurrency> <symbolConcurrency> <passes> <exchange>...
// passes > 1 sweeps again in the same process and reports the last pass: a warm peer, like the
// system's long-running engines, rather than a script whose first pass also warms V8 up.
// Prints one JSON line: {runtime, seconds, cpuSeconds, books, failed, exchanges: {id: {symbols, books, failed, error?, seconds}}}.
const path = require('path');
const [engineDir, base, rateLimit, rateLimitScale, exchangeConcurrency, symbolConcurrency, passes, ...ids] = process.argv.slice(2);
const ccxt = require(require.resolve('ccxt', { paths: [engineDir] }));
const { redirectExchange } = require(path.join(engineDir, 'redirect.js'));
const { scaleRateLimit } = require(path.join(engineDir, 'rate-limit.js'));

// The options the worker's engine sets by default: every market type, no currency calls, the same
// throttle, the simulator's URLs.
function create(id) {
    const exchange = new ccxt[id]({ enableRateLimit: rateLimit === 'true', timeout: 10000 });
    scaleRateLimit(exchange, Number(rateLimitScale));
    exchange.has.fetchCurrencies = false;
    redirectExchange(exchange, base);
    return exchange;
}

// Runs work(item) over items with at most `limit` in flight.
async function gather(items, limit, work) {
    const queue = [...items];
    const lanes = Array.from({ length: Math.min(limit, queue.length) }, async () => {
        while (queue.length > 0) {
            await work(queue.shift());
        }
    });
    await Promise.all(lanes);
}

async function sweep(id) {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const exchange = create(id);
    let books = 0;
    let failed = 0;
    try {
        let markets;
        try {
            markets = await exchange.loadMarkets();
        } catch (e) {
            // An exchange the simulator does not serve (404s, like a broken network): its work is
            // this failure, as in the system, which records it and goes on.
            return { symbols: 0, books, failed, error: e.constructor.name, seconds: seconds() };
        }
        const symbols = Object.values(markets)
            .filter((m) => typeof m.symbol === 'string' && m.base && m.quote)
            .map((m) => m.symbol)
            .sort();
        await gather(symbols, Number(symbolConcurrency), async (symbol) => {
            try {
                const book = await exchange.fetchOrderBook(symbol);
                if (book.bids.length === 0 && book.asks.length === 0) throw new Error('empty book');
                books++;
            } catch (e) {
                failed++;
            }
        });
        return { symbols: symbols.length, books, failed, seconds: seconds() };
    } finally {
        await exchange.close();
    }
}

(async () => {
    let started;
    let cpu;
    let exchanges;
    for (let pass = 0; pass < Number(passes); pass++) {
        started = process.hrtime.bigint();
        cpu = process.cpuUsage();
        exchanges = {};
        await gather(ids, Number(exchangeConcurrency), async (id) => {
            exchanges[id] = await sweep(id);
        });
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const results = Object.values(exchanges);
    process.stdout.write(JSON.stringify({
        runtime: `ccxt ${ccxt.version}, node ${process.versions.node}`,
        seconds,
        cpuSeconds: (used.user + used.system) / 1e6,
        books: results.reduce((n, r) => n + r.books, 0),
        failed: results.reduce((n, r) => n + r.failed, 0),
        exchanges,
    }) + '\n');
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
