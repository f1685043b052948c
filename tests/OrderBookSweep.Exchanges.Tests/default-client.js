'use strict';
// A ccxt client as a new user makes one: `new ccxt[id]()` with no options at all (currencies,
// every market type, ccxt's own rate limiter), pointed at the simulator the way the worker points
// its engine. Usage: node default-client.js <simulator url> <exchange> all|kinds
//   all:   load markets, then fetch the book of every symbol
//   kinds: load markets, then fetch one book per market kind (type, linear or inverse)
// Prints one JSON line: the markets as ccxt parsed them and the books, or the error's class.
const path = require('path');
const engineDirectory = path.join(__dirname, 'ccxt-engine');
const ccxt = require(require.resolve('ccxt', { paths: [engineDirectory] }));
const { redirectExchange } = require(path.join(engineDirectory, 'redirect.js'));

async function run(base, exchangeId, mode) {
    const exchange = new ccxt[exchangeId]();
    redirectExchange(exchange, base);
    const markets = Object.values(await exchange.loadMarkets());
    const kind = (m) => `${m.type} ${m.linear}`;
    const wanted = mode === 'all' ? markets : markets.filter((m, i) => markets.findIndex((x) => kind(x) === kind(m)) === i);
    const books = [];
    for (const market of wanted) {
        const book = await exchange.fetchOrderBook(market.symbol);
        books.push({ symbol: book.symbol, bids: book.bids.map((l) => [l[0], l[1]]), asks: book.asks.map((l) => [l[0], l[1]]) });
    }
    return {
        currencies: Object.keys(exchange.currencies || {}).length,
        markets: markets.map((m) => ({
            symbol: m.symbol,
            type: m.type,
            linear: m.linear ?? null,
            inverse: m.inverse ?? null,
            settle: m.settle ?? null,
            contractSize: m.contractSize ?? null,
            expiry: m.expiry ?? null,
            strike: m.strike ?? null,
            optionType: m.optionType ?? null,
        })),
        books,
    };
}

const [base, exchangeId, mode] = process.argv.slice(2);
run(base, exchangeId, mode)
    .then((result) => process.stdout.write(JSON.stringify(result) + '\n'))
    .catch((error) => process.stdout.write(JSON.stringify({ error: error.constructor.name, message: String(error.message).slice(0, 500) }) + '\n'));
