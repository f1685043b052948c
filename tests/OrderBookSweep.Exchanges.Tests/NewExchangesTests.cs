using System.Net.Http.Json;
using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>
/// gate, bitget and mexc with the worker's production default (every market type ccxt loads): real
/// ccxt lists exactly the simulator's markets of every type, and every one of them gives a book equal
/// to the one served, well-formed. Their rate-limit answers reach the caller as ccxt classifies them live.
/// </summary>
[Collection(ExchangeCollection.Name)]
public sealed class NewExchangesTests(ExchangeFixture fixture) : IAsyncLifetime
{
    private readonly CancellationToken timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    private EngineHost allTypes = null!;

    // Markets per type in the small profile, as the simulator lists them and ccxt parses them (docs/simulator.md).
    public static TheoryData<string, int, int, int, int> Exchanges => new()
    {
        // exchange, spot, swap, future, option
        { "gate", 20, 6, 2, 8 },
        { "bitget", 20, 9, 2, 0 },
        { "mexc", 20, 5, 0, 0 },
    };

    // The rate-limit answer of each, as ccxt 4.5.84 classifies it from the exchange's own body.
    public static TheoryData<string, string> RateLimitClasses => new()
    {
        { "gate", "RateLimitExceeded" },
        { "bitget", "DDoSProtection" },
        { "mexc", "RateLimitExceeded" },
    };

    public async Task InitializeAsync() =>
        // No MarketTypes: the worker's production default, every type ccxt's loadMarkets reads.
        allTypes = await EngineHost.StartAsync(fixture.Simulator.BaseUrl, new Dictionary<string, string?> { ["Exchanges:MarketTypes:0"] = null });

    public async Task DisposeAsync() => await allTypes.DisposeAsync();

    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task Every_market_of_every_type_gives_the_served_book(string exchange, int spot, int swap, int future, int option)
    {
        var listed = (await fixture.Simulator.Admin.GetFromJsonAsync<ListedMarket[]>($"/admin/markets/{exchange}", timeout))!;
        await using var session = await allTypes.Engine.CreateExchangeAsync(exchange, timeout);

        var symbols = await session.LoadMarketsAsync(timeout);

        Assert.Equal(listed.Select(m => m.Symbol).Order(StringComparer.Ordinal), symbols);
        var byType = listed.ToLookup(m => m.Type);
        Assert.Equal([spot, swap, future, option], new[] { "spot", "swap", "future", "option" }.Select(t => byType[t].Count()));
        foreach (var symbol in symbols)
        {
            var book = await session.FetchOrderBookAsync(symbol, null, timeout);
            var served = await fixture.Simulator.LastServedBookAsync(exchange, symbol);

            Assert.Equal(symbol, book.Symbol);
            Assert.NotEmpty(book.Bids);
            Assert.NotEmpty(book.Asks);
            Assert.Equal(served.Bids.Select(l => new OrderBookLevel(l[0], l[1])), book.Bids);
            Assert.Equal(served.Asks.Select(l => new OrderBookLevel(l[0], l[1])), book.Asks);
            Assert.All(book.Bids.Zip(book.Bids.Skip(1)), pair => Assert.True(pair.First.Price > pair.Second.Price, symbol));
            Assert.All(book.Asks.Zip(book.Asks.Skip(1)), pair => Assert.True(pair.First.Price < pair.Second.Price, symbol));
            Assert.True(book.Bids[0].Price < book.Asks[0].Price, symbol);
        }
    }

    [Theory]
    [MemberData(nameof(RateLimitClasses))]
    public async Task Rate_limit_answers_classify_as_live_on_every_market_type(string exchange, string errorClass)
    {
        await using var session = await allTypes.Engine.CreateExchangeAsync(exchange, timeout);
        await session.LoadMarketsAsync(timeout);
        var listed = (await fixture.Simulator.Admin.GetFromJsonAsync<ListedMarket[]>($"/admin/markets/{exchange}", timeout))!;
        await fixture.Simulator.SetFaultAsync(exchange, "orderbook", "ratelimit");
        try
        {
            foreach (var market in listed.DistinctBy(m => m.Type))
            {
                var error = await Assert.ThrowsAsync<ExchangeException>(() => session.FetchOrderBookAsync(market.Symbol, null, timeout));

                Assert.Equal(errorClass, error.ErrorClass);
                Assert.True(error.IsRetryable, $"{exchange} {market.Type}");
            }
        }
        finally
        {
            await fixture.Simulator.ClearFaultsAsync(exchange);
        }
    }

    public sealed record ListedMarket(string Category, string Id, string Symbol, string Type);
}
