'use strict';
// Scales a ccxt exchange's REST throttle: its rateLimit (ms between calls of cost 1) and the token
// bucket built from it, so every endpoint's weight keeps its proportion. Above 1 the sweep is gentler
// on an exchange than ccxt's defaults; below 1 a rehearsal against a stand-in runs faster. Shared by
// engine.js and the sweep benchmark's peer, so both throttle alike.

/** Multiplies exchange.rateLimit by scale and rebuilds its throttler from it (no-op for 1). */
function scaleRateLimit(exchange, scale) {
    if (scale === 1 || !(exchange.rateLimit > 0)) {
        return;
    }
    exchange.rateLimit *= scale;
    // ccxt built the bucket in its constructor from the unscaled rateLimit: refill 1/rateLimit tokens a ms.
    exchange.tokenBucket = {
        ...exchange.tokenBucket,
        rateLimit: exchange.rateLimit,
        refillRate: exchange.tokenBucket.refillRate / scale,
    };
    exchange.initThrottler();
}

module.exports = { scaleRateLimit };
