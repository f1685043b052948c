'use strict';
// The ccxt engine: one Node process owned by OrderBookSweep.Worker (CcxtNodeEngine).
// Protocol: JSON lines on stdio. Request  {id, op, ...args}
//                                Response {id, ok: true, result} | {id, ok: false, error: {errorClass, retryable, message}}
// An order book's levels are packed (see packLevels); everything else is plain JSON.
// Requests are handled concurrently; responses come back in completion order, matched by id.
// stdout carries only protocol lines; anything for humans goes to stderr (the worker logs it).

const fs = require('fs');
const net = require('net');
const path = require('path');
const readline = require('readline');
const { pathToFileURL } = require('url');
const { redirectExchange } = require('./redirect');
const { scaleRateLimit } = require('./rate-limit');
const { parseResponsesFast } = require('./json-parse');

// ccxt's ESM sources hold one module per exchange, imported when an exchange is first created.
// The whole of ccxt (require('ccxt')) costs about 60 MiB resident for all 104 exchanges' code, and
// a replica meets only the exchanges it is given. The package's exports name only its entry, so
// the sources are found from it.
const ccxtRoot = path.resolve(path.dirname(require.resolve('ccxt')), '..');
const ccxtSources = path.join(ccxtRoot, 'js', 'src');
// From package.json: the ESM entry of ccxt 4.5.84 reports a stale version.
const ccxtVersion = JSON.parse(fs.readFileSync(path.join(ccxtRoot, 'package.json'), 'utf8')).version;
// What ccxt's description says of each exchange before its markets load (id, rateLimit, hosts),
// written by describe-ccxt.js at build time from the same sources.
const described = JSON.parse(fs.readFileSync(path.join(__dirname, 'exchanges.json'), 'utf8'));
const exchangeIds = described.map((d) => d.id);
const exchangeClasses = new Map(); // id -> Promise of its class
let errors; // ccxt's error classes, imported before the first request is read

function exchangeClass(id) {
    let loaded = exchangeClasses.get(id);
    if (!loaded) {
        loaded = import(pathToFileURL(path.join(ccxtSources, `${id}.js`)).href).then((m) => m.default);
        exchangeClasses.set(id, loaded);
    }
    return loaded;
}

const maxMessageBytes = Number(process.env.CCXT_ENGINE_MAX_MESSAGE_BYTES || 4 * 1024 * 1024);
const exchanges = new Map(); // handle -> ccxt exchange instance
let nextHandle = 1;

class EngineError extends Error {
    constructor(errorClass, message) {
        super(message);
        this.errorClass = errorClass;
    }
}

function classify(e) {
    if (e instanceof EngineError) {
        return { errorClass: e.errorClass, retryable: false, message: e.message };
    }
    const isCcxt = e instanceof errors.BaseError;
    return {
        errorClass: isCcxt ? e.constructor.name : (e && e.name) || 'Error',
        // NetworkError (RequestTimeout, DDoSProtection, ExchangeNotAvailable, ...) is worth retrying;
        // ExchangeError and anything not from ccxt is not.
        retryable: e instanceof errors.NetworkError,
        message: String((e && e.message) || e).slice(0, 2000),
    };
}

async function create({ exchangeId, options }) {
    if (typeof exchangeId !== 'string' || !exchangeIds.includes(exchangeId)) {
        throw new EngineError('UnknownExchange', `'${exchangeId}' is not one of ccxt's ${exchangeIds.length} exchange ids`);
    }
    const Exchange = await exchangeClass(exchangeId);
    const exchange = new Exchange({
        enableRateLimit: options.enableRateLimit,
        timeout: options.requestTimeoutMs,
    });
    scaleRateLimit(exchange, options.rateLimitScale);
    if (options.fastJsonParser) {
        parseResponsesFast(exchange);
    }
    // Currencies cost calls and the sweep never reads them.
    exchange.has.fetchCurrencies = false;
    if (options.marketTypes.length > 0) {
        // Many exchanges take options.fetchMarkets(.types) and skip the other endpoints; the
        // symbol filter in loadMarkets covers the ones that don't.
        const fetchMarkets = exchange.options.fetchMarkets;
        if (Array.isArray(fetchMarkets)) {
            exchange.options.fetchMarkets = narrowFetchMarkets(fetchMarkets, options.marketTypes);
        } else if (fetchMarkets && typeof fetchMarkets === 'object' && fetchMarkets.types) {
            exchange.options.fetchMarkets = { ...fetchMarkets, types: narrowFetchMarkets(fetchMarkets.types, options.marketTypes) };
        }
    }
    if (options.redirectBaseUrl) {
        redirectExchange(exchange, options.redirectBaseUrl);
        // Only towards a stand-in: it can then tell which worker process (this engine's parent)
        // calls, which is how the reliability drill sees an exchange worked on by two workers at once.
        exchange.headers = { ...exchange.headers, 'X-Sweep-Worker-Pid': String(process.ppid) };
    }
    const handle = nextHandle++;
    exchanges.set(handle, { exchange, options });
    return { handle, rateLimitMs: exchange.rateLimit };
}

function get(handle) {
    const entry = exchanges.get(handle);
    if (!entry) {
        throw new EngineError('UnknownHandle', `no open exchange with handle ${handle}`);
    }
    return entry;
}

// What each entry of an exchange's own fetchMarkets types can hold, in ccxt's market vocabulary
// (type, or the linear/inverse/margin flag): binance and bybit list linear and inverse, okx and
// gate list swap and future, kucoin lists contract, htx and mexc keep maps of these to booleans.
const entryHolds = {
    spot: ['spot', 'margin'],
    margin: ['spot', 'margin'],
    linear: ['swap', 'future', 'linear'],
    inverse: ['swap', 'future', 'inverse'],
    swap: ['swap', 'future', 'linear', 'inverse'],
    future: ['future', 'swap', 'linear', 'inverse'],
    contract: ['swap', 'future', 'linear', 'inverse'],
    option: ['option', 'linear', 'inverse'],
};

function mayHold(entry, wanted) {
    const holds = entryHolds[entry];
    // An entry this table does not know stays: the symbol filter in loadMarkets still applies.
    return holds === undefined || holds.some((t) => wanted.includes(t));
}

// The exchange's own fetchMarkets types, keeping only the entries that may hold a wanted market
// type. A list stays a list; a map keeps its keys and turns off what no wanted type needs (a
// nested map, mexc's swap: {linear, inverse}, is narrowed below its key).
function narrowFetchMarkets(types, wanted) {
    if (Array.isArray(types)) {
        return types.filter((entry) => typeof entry !== 'string' || mayHold(entry, wanted));
    }
    if (types && typeof types === 'object') {
        return Object.fromEntries(Object.entries(types).map(([entry, value]) =>
            [entry, !mayHold(entry, wanted) ? false : value && typeof value === 'object' ? narrowFetchMarkets(value, wanted) : value]));
    }
    return types;
}

function matchesType(market, types) {
    return types.length === 0 || types.some((t) => market.type === t || market[t] === true);
}

async function loadMarkets({ handle }) {
    const { exchange, options } = get(handle);
    const markets = await exchange.loadMarkets();
    let symbols = Object.values(markets)
        // An HTML body parsed as a market list (bitstamp iterates its characters) gives markets without a base.
        .filter((m) => typeof m.symbol === 'string' && m.base && m.quote)
        .filter((m) => matchesType(m, options.marketTypes))
        .map((m) => m.symbol)
        .sort();
    // A 200 with HTML or garbage JSON yields 0 markets without an exception.
    if (symbols.length === 0) {
        throw new EngineError('NoMarkets', `${exchange.id} loadMarkets returned no markets of types [${options.marketTypes}]`);
    }
    if (options.maxSymbols !== null && options.maxSymbols !== undefined) {
        symbols = symbols.slice(0, options.maxSymbols);
    }
    return symbols;
}

async function fetchOrderBook({ handle, symbol, limit }) {
    const { exchange } = get(handle);
    const book = await exchange.fetchOrderBook(symbol, limit === null ? undefined : limit);
    // Same as loadMarkets: garbage bodies parse to an empty book.
    if (book.bids.length === 0 && book.asks.length === 0) {
        throw new EngineError('EmptyOrderBook', `${exchange.id} ${symbol}: the order book has no bids and no asks`);
    }
    return {
        symbol: book.symbol,
        bidCount: book.bids.length,
        levels: packLevels(exchange.id, symbol, book),
        timestamp: book.timestamp ?? null,
        datetime: book.datetime ?? null,
        nonce: book.nonce ?? null,
        market: marketTerms(exchange.markets[book.symbol] ?? exchange.markets[symbol]),
    };
}

// What the book's metrics depend on (the worker computes them): ccxt gives a derivative's
// amounts in contracts, which its contract size and kind turn into currency. Sent by position,
// as the levels are packed: the worker reads an array's items by index, where an object's
// properties are each found by a search of their names, with every book.
function marketTerms(market) {
    if (!market) {
        return null;
    }
    // The order CcxtExchangeSession.ParseMarket reads them in.
    return [
        market.type ?? null,
        market.base ?? null,
        market.quote ?? null,
        market.settle ?? null,
        market.contractSize ?? null,
        market.linear ?? null,
        market.inverse ?? null,
    ];
}

// A book's levels travel packed: price, amount of each bid then each ask, as a Float64Array in
// base64. Written as JSON text, formatting those few hundred doubles is this one thread's largest
// cost after ccxt's own parsing (docs/performance.md); the doubles are ccxt's own values, so
// nothing is lost. A level's third element (count, timestamp) is dropped.
//
// One scratch array, grown as needed: packing is synchronous, and a fresh array per book adds a
// backing store outside V8's heap for every book, which piles up between collections.
let scratch = new Float64Array(512);

function packLevels(exchangeId, symbol, book) {
    const length = 2 * (book.bids.length + book.asks.length);
    if (scratch.length < length) {
        scratch = new Float64Array(length);
    }
    let i = 0;
    for (const side of [book.bids, book.asks]) {
        for (const level of side) {
            scratch[i++] = level[0];
            scratch[i++] = level[1];
            if (!Number.isFinite(scratch[i - 2]) || !Number.isFinite(scratch[i - 1])) {
                throw new EngineError('MalformedOrderBook', `${exchangeId} ${symbol}: a level is not a pair of numbers: ${JSON.stringify(level)}`);
            }
        }
    }
    return Buffer.from(scratch.buffer, 0, length * 8).toString('base64');
}

async function close({ handle }) {
    const entry = exchanges.get(handle);
    exchanges.delete(handle);
    if (entry) {
        await entry.exchange.close();
    }
    return null;
}

const operations = {
    ping: async () => ({ version: ccxtVersion, node: process.versions.node, open: exchanges.size }),
    exchanges: async () => described,
    create,
    loadMarkets,
    fetchOrderBook,
    close,
};

// Responses that complete in the same turn of the event loop leave in one write: under load
// that is one pipe write for many books instead of one each. The pipe is written without
// blocking (process.stdout blocks on a pipe): a busy reader then delays answers, not ccxt.
// 1 MiB before backpressure (below): some hundred books, so a busy moment does not stall requests.
const out = new net.Socket({ fd: 1, readable: false, writable: true, writableHighWaterMark: 1024 * 1024 });
out.on('error', () => process.exit(0)); // the worker is gone
let outgoing = [];
let paused = false;

function send(message) {
    let line = JSON.stringify(message);
    if (Buffer.byteLength(line) > maxMessageBytes) {
        line = JSON.stringify({
            id: message.id,
            ok: false,
            error: { errorClass: 'ResponseTooLarge', retryable: false, message: `response exceeds ${maxMessageBytes} bytes` },
        });
    }
    if (outgoing.push(line) === 1) {
        setImmediate(flush);
    }
}

function flush() {
    const lines = outgoing;
    outgoing = [];
    // Backpressure: while the worker is behind on reading answers, take no new requests, so
    // unread answers cannot pile up here without bound.
    if (!out.write(lines.join('\n') + '\n') && !paused) {
        paused = true;
        requests.pause();
        out.once('drain', () => {
            paused = false;
            requests.resume();
        });
    }
}

async function handle(line) {
    let request;
    try {
        request = JSON.parse(line);
    } catch (e) {
        process.stderr.write(`engine: unparseable request dropped: ${line.slice(0, 200)}\n`);
        return;
    }
    try {
        const operation = operations[request.op];
        if (!operation) {
            throw new EngineError('UnknownOperation', `unknown op '${request.op}'`);
        }
        send({ id: request.id, ok: true, result: await operation(request) });
    } catch (e) {
        send({ id: request.id, ok: false, error: classify(e) });
    }
}

let requests;

process.on('unhandledRejection', (e) => process.stderr.write(`engine: unhandled rejection: ${e && e.stack || e}\n`));
import(pathToFileURL(path.join(ccxtSources, 'base', 'errors.js')).href).then((module) => {
    errors = module;
    requests = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    requests.on('line', (line) => {
        handle(line);
    }).on('close', () => process.exit(0));
    process.stderr.write(`engine: ccxt ${ccxtVersion} on node ${process.versions.node} ready\n`);
}, (e) => {
    process.stderr.write(`engine: ccxt could not be loaded from ${ccxtRoot}: ${e && e.stack || e}\n`);
    process.exit(1);
});
