'use strict';
// The engine's JSON parser against V8's JSON.parse: the same value for every text, valid or not,
// and ccxt's parseJson unchanged when the engine's is put in its place.
// Usage: node json-parse.js <engineDir> <seed>
// Prints one JSON line: {texts, invalid, differences: [up to 10 texts whose results differ]}.
const path = require('path');
const [engineDir, seedText] = process.argv.slice(2);
const { parseJson, parseResponsesFast } = require(path.join(engineDir, 'json-parse.js'));
const ccxt = require(require.resolve('ccxt', { paths: [engineDir] }));

// Deterministic pseudo-random numbers (mulberry32), so a failure names a text that comes again.
let seed = Number(seedText) >>> 0;
function random() {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];

// The same value: numbers by Object.is (so -0 is not 0), objects by own keys in order, each own
// property a plain data property, and the same prototype.
function same(a, b) {
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
        return Object.is(a, b);
    }
    if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) {
        return false;
    }
    const keys = Reflect.ownKeys(a);
    if (JSON.stringify(keys) !== JSON.stringify(Reflect.ownKeys(b))) {
        return false;
    }
    return keys.every((k) => {
        const x = Object.getOwnPropertyDescriptor(a, k);
        const y = Object.getOwnPropertyDescriptor(b, k);
        return x.enumerable === y.enumerable && x.writable === y.writable && same(x.value, y.value);
    });
}

function outcome(parse, text) {
    try {
        return { value: parse(text) };
    } catch (e) {
        return { error: e.constructor.name };
    }
}

const characters = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u007f', 'é', '€', '\ud83d\ude00', '\ud800', '\u2028'];
function randomString() {
    return Array.from({ length: Math.floor(random() * 18) }, () => pick(characters)).join('');
}
function randomNumber() {
    return pick([
        () => Math.floor(random() * 1000),
        () => -random() * 1e6,
        () => random() * 10 ** Math.floor(random() * 40 - 20),
        () => pick([0, -0, 5e-324, 1.7976931348623157e308, 2 ** 53 + 2, 0.1, 1e21, 1e-7]),
    ])();
}
function randomValue(depth) {
    const kinds = depth > 4 ? ['string', 'number', 'literal'] : ['string', 'number', 'literal', 'array', 'object', 'object'];
    switch (pick(kinds)) {
        case 'string': return randomString();
        case 'number': return randomNumber();
        case 'literal': return pick([true, false, null]);
        case 'array': return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(depth + 1));
        default: return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) },
            () => [pick([randomString(), '__proto__', 'constructor', String(Math.floor(random() * 20)), 'bids', 'asks']), randomValue(depth + 1)]));
    }
}

// Written by hand: what JSON.stringify never writes (exponents, escapes it does not use,
// duplicate keys, odd whitespace, a __proto__ member, integer-like keys out of order).
const valid = [
    '0', '-0', '1', '-1.5e-7', '1E+5', '1e400', '-1e400', '12345678901234567890', '0.30000000000000004', '5e-324',
    '""', '"a"', '"123456789012"', '"1234567890123"', '"12345678901234"', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\u00e9\\ud83d\\ude00\\ud800"',
    '"é€😀\u2028"', 'true', 'false', 'null', '[]', '{}', ' \t\r\n[ 1 , "x" , { } ] \n',
    '{"a":1,"a":2}', '{"__proto__":{"polluted":true},"b":[]}', '{"b":1,"2":2,"1":3,"a":4}', '{"constructor":1,"toString":"x"}',
    '[[["43251.37","0.123"],["43251.36","1.5"]],[]]', JSON.stringify({ bids: [[43251.37, 0.1]], asks: [], timestamp: 1700000000000 }),
    '['.repeat(1000) + ']'.repeat(1000),
    // Past the size the engine parses itself: JSON.parse's whole.
    JSON.stringify(Array.from({ length: 20000 }, (_, n) => ({ symbol: `S${n}/USDT`, info: { id: String(n) } }))),
];
const invalid = [
    '', ' ', '{', '}', '[1,]', '[,1]', '{"a":1,}', '01', '-', '1.', '.5', '+1', '1e', '1e+', 'tru', 'nul', 'True', '[1 2]', '{"a" 1}',
    '{a:1}', "'s'", '"\u0001"', '"unterminated', '"\\x"', '"\\u12"', 'NaN', 'Infinity', '[1]x', '1 2', '"a"b', '<html>',
];
const texts = [...valid, ...invalid];
for (let n = 0; n < 3000; n++) {
    const value = randomValue(0);
    const text = JSON.stringify(value, null, pick([undefined, 0, 1, '\t', ' \r\n']));
    texts.push(text);
    // And the same text cut short or with a character changed, to take the parser off its path.
    const at = Math.floor(random() * text.length);
    texts.push(text.slice(0, at));
    texts.push(text.slice(0, at) + pick([',', ']', '}', '"', '\\', '-', '0', 'e', ' ', '\u0000']) + text.slice(at + 1));
}

const differences = [];
let invalidCount = 0;
for (const text of texts) {
    const expected = outcome(JSON.parse, text);
    const actual = outcome(parseJson, text);
    invalidCount += 'error' in expected ? 1 : 0;
    const equal = 'error' in expected ? actual.error === expected.error : 'value' in actual && same(actual.value, expected.value);
    if (!equal && differences.length < 10) {
        differences.push(text.slice(0, 200));
    }
}

// ccxt's parseJson, stock and with the engine's parser in its place: the same for bodies that are
// JSON, that are not, and that hold an integer beyond 2^53 (which ccxt parses again, quoted).
const bodies = ['{"symbol":"BTC/USDT","bids":[["1.5","2"]]}', '<html><body>502</body></html>', '', '[1,2', '{"id":123456789012345678901,"x":[1.5,2]}', '"text"'];
const stock = new ccxt.binance();
const engine = new ccxt.binance();
parseResponsesFast(engine);
for (const body of bodies) {
    if (!same(outcome((t) => engine.parseJson(t), body), outcome((t) => stock.parseJson(t), body)) && differences.length < 10) {
        differences.push(`ccxt parseJson: ${body}`);
    }
}

process.stdout.write(JSON.stringify({ texts: texts.length + bodies.length, invalid: invalidCount, differences }) + '\n');
