'use strict';
// JSON.parse for exchange responses, without the cost V8 adds for short strings. V8's JSON.parse
// puts every string value shorter than 10 characters in its string table (a hash lookup, and an
// insert for each new one), and an order book is hundreds of short price and amount strings, each
// new: in a profile of the engine that lookup was a fifth of all its CPU, and interned strings
// live in V8's old generation until a full collection, which set the engine's peak memory
// (figures: docs/performance.md). This parser makes the
// same values as JSON.parse for every valid text, and leaves everything else to JSON.parse:
// any text it does not take (invalid ones included) is parsed by JSON.parse, whose result or
// SyntaxError stands. tests/OrderBookSweep.Exchanges.Tests/json-parse.js holds the two equal.

// Thrown inside the parser for a text it leaves to JSON.parse.
const declined = new Error('left to JSON.parse');

// Its strings are slices of the text. From 13 characters on, V8 makes a slice a view that keeps
// the whole text alive for as long as the string lives: harmless for a book's text, which dies
// with the book, but a market's strings live for a whole job. So texts over maxSliced (market
// lists, mostly) go to JSON.parse whole.
const maxSliced = 256 * 1024;

function parseFast(text) {
    let i = 0; // the next character; charCodeAt past the end is NaN, which no test below accepts

    function whitespace() {
        let c = text.charCodeAt(i);
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
            c = text.charCodeAt(++i);
        }
    }

    function string() {
        const start = ++i;
        let escaped = false;
        for (let c = text.charCodeAt(i); c !== 0x22; c = text.charCodeAt(i)) {
            if (c === 0x5c) {
                escaped = true;
                i += 2;
            } else if (c >= 0x20) {
                i++;
            } else {
                throw declined; // a control character, or the end of the text
            }
        }
        i++;
        // An escaped string is rare: JSON.parse reads its quoted literal.
        return escaped ? JSON.parse(text.slice(start - 1, i)) : text.slice(start, i - 1);
    }

    function digits() {
        let c = text.charCodeAt(i);
        if (!(c >= 0x30 && c <= 0x39)) {
            throw declined;
        }
        do {
            c = text.charCodeAt(++i);
        } while (c >= 0x30 && c <= 0x39);
        return c;
    }

    // JSON's grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?; the value is what
    // Number makes of the same characters, as JSON.parse's.
    function number() {
        const start = i;
        let c = text.charCodeAt(i);
        if (c === 0x2d) {
            c = text.charCodeAt(++i);
        }
        c = c === 0x30 ? text.charCodeAt(++i) : digits();
        if (c === 0x2e) {
            i++;
            c = digits();
        }
        if (c === 0x65 || c === 0x45) {
            c = text.charCodeAt(++i);
            if (c === 0x2b || c === 0x2d) {
                i++;
            }
            digits();
        }
        return +text.slice(start, i);
    }

    // Steps over an opening bracket: true when the array or object closes at once.
    function empty(close) {
        i++;
        whitespace();
        if (text.charCodeAt(i) !== close) {
            return false;
        }
        i++;
        return true;
    }

    // After an element or member: true at the closing bracket, false at a comma.
    function closed(close) {
        whitespace();
        const c = text.charCodeAt(i++);
        if (c !== close && c !== 0x2c) {
            throw declined;
        }
        return c === close;
    }

    function array() {
        const values = [];
        if (empty(0x5d)) {
            return values;
        }
        do {
            values.push(value());
        } while (!closed(0x5d));
        return values;
    }

    function object() {
        const result = {};
        if (empty(0x7d)) {
            return result;
        }
        do {
            whitespace();
            if (text.charCodeAt(i) !== 0x22) {
                throw declined;
            }
            const key = string();
            whitespace();
            if (text.charCodeAt(i++) !== 0x3a) {
                throw declined;
            }
            const member = value();
            if (key === '__proto__') {
                // JSON.parse makes an own property of it; an assignment would set the prototype.
                Object.defineProperty(result, key, { value: member, writable: true, enumerable: true, configurable: true });
            } else {
                result[key] = member;
            }
        } while (!closed(0x7d));
        return result;
    }

    function value() {
        whitespace();
        const c = text.charCodeAt(i);
        if (c === 0x22) {
            return string();
        }
        if (c === 0x7b) {
            return object();
        }
        if (c === 0x5b) {
            return array();
        }
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
            return number();
        }
        for (const [word, literal] of literals) {
            if (text.startsWith(word, i)) {
                i += word.length;
                return literal;
            }
        }
        throw declined;
    }

    const result = value();
    whitespace();
    if (i !== text.length) {
        throw declined;
    }
    return result;
}

const literals = [['true', true], ['false', false], ['null', null]];

function parseJson(text) {
    if (typeof text !== 'string' || text.length > maxSliced) {
        return JSON.parse(text);
    }
    try {
        return parseFast(text);
    } catch {
        return JSON.parse(text);
    }
}

// ccxt's Exchange.parseJson (4.5.84) with parseJson above in place of JSON.parse: a body that is
// not JSON gives undefined, and one with an integer beyond 2^53 is parsed again with its numbers
// quoted, so that their digits survive.
function parseResponsesFast(exchange) {
    exchange.parseJson = (text) => {
        try {
            if (!exchange.isJsonEncodedObject(text)) {
                return undefined;
            }
            const parsed = parseJson(text);
            return exchange.quoteJsonNumbers && exchange.hasUnsafeInteger(parsed) ? parseJson(exchange.onJsonResponse(text)) : parsed;
        } catch {
            return undefined;
        }
    };
}

module.exports = { parseJson, parseResponsesFast };
