'use strict';
// Points a ccxt exchange's REST URLs at a stand-in server (the exchange simulator): every
// http(s)://HOST/path in exchange.urls.api becomes {base}/HOST/path, so one server can tell the
// exchanges apart by the first path segment. Shared by engine.js and the sweep benchmark's peer.

function redirectUrls(exchange, value, base) {
    if (typeof value === 'string') {
        // 26 exchanges template {hostname}: resolve it before rewriting.
        const url = exchange.implodeHostname(value);
        return url.replace(/^https?:\/\//, base + '/');
    }
    if (value && typeof value === 'object') {
        for (const key of Object.keys(value)) {
            value[key] = redirectUrls(exchange, value[key], base);
        }
    }
    return value;
}

/** Rewrites exchange.urls.api in place to go through redirectBaseUrl (trailing slashes ignored). */
function redirectExchange(exchange, redirectBaseUrl) {
    redirectUrls(exchange, exchange.urls.api, redirectBaseUrl.replace(/\/+$/, ''));
}

module.exports = { redirectExchange };
