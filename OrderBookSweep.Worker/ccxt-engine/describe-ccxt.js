'use strict';
// Run by the Worker's build after `npm ci` and compact-ccxt.js: writes exchanges.json, what ccxt's
// description of each exchange says before any market is loaded: its id, its rateLimit (ms between
// calls of cost 1) and the hosts of its REST API. The engine answers its `exchanges` request from
// this file, so that no engine imports all 104 exchange modules (about 40 MiB it would keep) to
// publish the catalog. The scheduler orders a sweep's never-swept exchanges by rateLimit, and offline
// mode tells the exchanges the simulator serves by their hosts (docs/simulator.md).

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { apiHosts } = require('./redirect');

const sources = path.join(__dirname, 'node_modules', 'ccxt', 'js', 'src');

async function main() {
    // Every module directly in js/src is an exchange (ccxt.exchanges lists the same ids; a test holds
    // the two equal for the pinned version).
    const ids = fs.readdirSync(sources).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)).sort();
    const described = [];
    for (const id of ids) {
        const Exchange = (await import(pathToFileURL(path.join(sources, `${id}.js`)).href)).default;
        const exchange = new Exchange();
        described.push({ id, rateLimitMs: exchange.rateLimit, hosts: apiHosts(exchange) });
    }
    fs.writeFileSync(path.join(__dirname, 'exchanges.json'), '[\n' + described.map((d) => JSON.stringify(d)).join(',\n') + '\n]\n');
    console.log(`describe-ccxt: ${described.length} exchanges described in exchanges.json`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
