'use strict';
// Points a ccxt exchange's REST URLs at a stand-in server (the exchange simulator): every
// http(s)://HOST/path in exchange.urls.api becomes {base}/HOST/path, so one server can tell the
// exchanges apart by the first path segment. Shared by engine.js, describe-ccxt.js and the sweep
// benchmark's peer.

// Replaces, in place, every URL in a urls.api value (a string or nested objects) by map(url).
function mapUrls(exchange, value, map) {
    if (typeof value === 'string') {
        // 26 exchanges template {hostname}: resolve it first.
        return map(exchange.implodeHostname(value));
    }
    if (value && typeof value === 'object') {
        for (const key of Object.keys(value)) {
            value[key] = mapUrls(exchange, value[key], map);
        }
    }
    return value;
}

/** Rewrites exchange.urls.api in place to go through redirectBaseUrl (trailing slashes ignored). */
function redirectExchange(exchange, redirectBaseUrl) {
    const base = redirectBaseUrl.replace(/\/+$/, '');
    mapUrls(exchange, exchange.urls.api, (url) => url.replace(/^https?:\/\//, base + '/'));
}

/** The hosts exchange.urls.api names, sorted; urls.api itself is left as it is. */
function apiHosts(exchange) {
    const hosts = new Set();
    mapUrls(exchange, structuredClone(exchange.urls.api), (url) => {
        const match = /^https?:\/\/([^/?#]+)/.exec(url);
        if (match) {
            hosts.add(match[1].toLowerCase());
        }
        return url;
    });
    return [...hosts].sort();
}

module.exports = { redirectExchange, apiHosts };
