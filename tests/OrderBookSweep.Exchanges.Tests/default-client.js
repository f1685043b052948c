'use strict';
// A ccxt client exactly as a new user makes one, no options at all, pointed at the simulator:
// loads the markets (currencies included) and fetches the book of every market, one at a time.
// Usage: node default-client.js <engineDir> <simulatorUrl> <exchange> [markets-only]
// Prints one JSON line: {currencies, markets: [parsed market fields], books: [{symbol, bids, asks}]}.
const [engineDir, base, id, scope] = process.argv.slice(2);
const ccxt = require(require.resolve('ccxt', { paths: [engineDir] }));
const { redirectExchange } = require(require('path').join(engineDir, 'redirect.js'));

(async () => {
    const exchange = new ccxt[id]();
    redirectExchange(exchange, base);
    const markets = Object.values(await exchange.loadMarkets());
    const books = [];
    for (const market of scope === 'markets-only' ? [] : markets) {
        const book = await exchange.fetchOrderBook(market.symbol);
        books.push({ symbol: book.symbol, bids: book.bids.map((l) => l.slice(0, 2)), asks: book.asks.map((l) => l.slice(0, 2)) });
    }
    const fields = ['symbol', 'id', 'base', 'quote', 'settle', 'type', 'linear', 'inverse', 'contractSize', 'expiry', 'strike', 'optionType'];
    process.stdout.write(JSON.stringify({
        currencies: Object.keys(exchange.currencies || {}).length,
        markets: markets.map((m) => Object.fromEntries(fields.map((f) => [f, m[f] ?? null]))),
        books,
    }) + '\n');
})().catch((e) => {
    process.stderr.write(`${id}: ${e.constructor.name}: ${e.message}\n`);
    process.exit(1);
});
