using System.Collections.Frozen;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>A listed market: the exchange's own id for it and ccxt's unified symbol.</summary>
public sealed record SimulatedMarket(string Exchange, string Id, string Symbol, string Base, string Quote);

/// <summary>The markets each simulated exchange lists, and the last book served for each of them.</summary>
public sealed class MarketCatalog
{
    public const string Quote = "USDT";

    private readonly FrozenDictionary<string, IReadOnlyList<SimulatedMarket>> markets;
    private readonly FrozenDictionary<(string Exchange, string Id), SimulatedMarket> byId;
    private readonly ConcurrentDictionary<(string Exchange, string Symbol), SimulatedBook> lastServed = new();

    public MarketCatalog(IOptions<SimulatorOptions> options)
    {
        markets = ExchangeFormats.All.ToFrozenDictionary(
            f => f.Id,
            f => (IReadOnlyList<SimulatedMarket>)BookGenerator.BaseCurrencies(options.Value.SymbolsFor(f.Id))
                .Concat(options.Value.ExtraBaseFor(f.Id) is { } extra ? [extra] : [])
                .Select(b => new SimulatedMarket(f.Id, f.MarketId(b, Quote), $"{b}/{Quote}", b, Quote))
                .ToArray());
        byId = markets.Values.SelectMany(m => m).ToFrozenDictionary(m => (m.Exchange, m.Id));
    }

    public IReadOnlyList<SimulatedMarket> Markets(string exchange) => markets[exchange];

    public SimulatedMarket? FindById(string exchange, string id) => byId.GetValueOrDefault((exchange, id));

    public void RecordServed(SimulatedBook book) => lastServed[(book.Exchange, book.Symbol)] = book;

    public SimulatedBook? LastServed(string exchange, string symbol) => lastServed.GetValueOrDefault((exchange, symbol));
}
