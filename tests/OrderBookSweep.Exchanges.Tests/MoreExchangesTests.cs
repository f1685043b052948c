using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderBookSweep.ExchangeSimulator;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>
/// htx, bitfinex and krakenfutures as a new user meets them: real ccxt with no options at all
/// (default-client.js: currencies, every market type, ccxt's own rate limiter) loads every market
/// as its true type and gets a well-formed, plausible book for each, the very book the simulator served.
/// </summary>
[Collection(ExchangeCollection.Name)]
public sealed class MoreExchangesTests(ExchangeFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Markets by kind as ccxt parsed them, in the small profile.
    public static TheoryData<string, string> SmallCounts => new()
    {
        { "htx", "future inverse 2, future linear 2, spot 20, swap inverse 3, swap linear 5" },
        { "bitfinex", "spot 25, swap linear 5" },
        { "krakenfutures", "future inverse 2, future linear 2, swap inverse 2, swap linear 5" },
    };

    // In the realistic profile, with the depth each exchange serves when asked for no limit.
    public static TheoryData<string, string, int> RealisticCounts => new()
    {
        { "htx", "future inverse 16, future linear 6, spot 600, swap inverse 30, swap linear 230", 150 },
        { "bitfinex", "spot 420, swap linear 60", 25 },
        { "krakenfutures", "future inverse 6, future linear 4, swap inverse 6, swap linear 320", 250 },
    };

    public static TheoryData<string> Exchanges => new() { "htx", "bitfinex", "krakenfutures" };

    [Theory]
    [MemberData(nameof(SmallCounts))]
    public async Task A_default_client_loads_every_market_as_its_true_type_and_gets_the_served_book_of_each(string exchange, string counts)
    {
        var result = await RunDefaultClientAsync(fixture.Simulator.BaseUrl, exchange, "all");

        Assert.True(result.Error is null, $"{exchange}: {result.Error} {result.Message}");
        Assert.True(result.Currencies > 0);
        Assert.Equal(counts, CountByKind(result.Markets!));
        AssertSameAsCatalog(exchange, SimulatorProfile.Small, result.Markets!);
        Assert.Equal(result.Markets!.Select(m => m.Symbol).Order(), result.Books!.Select(b => b.Symbol).Order());
        var catalog = Catalog(SimulatorProfile.Small).Markets(exchange).ToDictionary(m => m.Symbol);
        foreach (var book in result.Books!)
        {
            AssertWellFormed(book, catalog[book.Symbol]);
            var served = await fixture.Simulator.LastServedBookAsync(exchange, book.Symbol);
            Assert.Equal(served.Bids.Select(l => ((double)l[0], (double)l[1])), book.Bids.Select(l => (l[0], l[1])));
            Assert.Equal(served.Asks.Select(l => ((double)l[0], (double)l[1])), book.Asks.Select(l => (l[0], l[1])));
        }
    }

    [Theory]
    [MemberData(nameof(RealisticCounts))]
    public async Task The_realistic_profile_lists_the_real_exchanges_numbers_at_their_own_depth(string exchange, string counts, int depth)
    {
        await using var simulator = await SimulatorServer.StartAsync(new Dictionary<string, string?> { ["Simulator:Profile"] = "Realistic" });

        var result = await RunDefaultClientAsync(simulator.BaseUrl, exchange, "kinds");

        Assert.True(result.Error is null, $"{exchange}: {result.Error} {result.Message}");
        Assert.Equal(counts, CountByKind(result.Markets!));
        AssertSameAsCatalog(exchange, SimulatorProfile.Realistic, result.Markets!);
        var catalog = Catalog(SimulatorProfile.Realistic).Markets(exchange).ToDictionary(m => m.Symbol);
        Assert.All(result.Books!, book =>
        {
            AssertWellFormed(book, catalog[book.Symbol]);
            Assert.Equal(depth, book.Bids.Length);
            Assert.Equal(depth, book.Asks.Length);
        });
    }

    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task The_ratelimit_fault_answers_in_the_exchanges_own_shape_which_ccxt_reads_as_RateLimitExceeded(string exchange)
    {
        await fixture.Simulator.SetFaultAsync(exchange, "orderbook", "ratelimit");
        try
        {
            var result = await RunDefaultClientAsync(fixture.Simulator.BaseUrl, exchange, "kinds");

            Assert.Equal("RateLimitExceeded", result.Error);
        }
        finally
        {
            await fixture.Simulator.ClearFaultsAsync(exchange);
        }
    }

    private static MarketCatalog Catalog(SimulatorProfile profile) =>
        new(Options.Create(new SimulatorOptions { Profile = profile }), TimeProvider.System);

    private static string CountByKind(IEnumerable<ParsedMarket> markets) =>
        string.Join(", ", markets.GroupBy(Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

    private static string Kind(ParsedMarket m) => m.Linear == true ? $"{m.Type} linear" : m.Inverse == true ? $"{m.Type} inverse" : m.Type;

    // Every market ccxt parsed is the simulator's, with its type, margin, settle currency, contract size, expiry and strike.
    private static void AssertSameAsCatalog(string exchange, SimulatorProfile profile, IReadOnlyList<ParsedMarket> parsed)
    {
        var expected = Catalog(profile).Markets(exchange).Select(m => new ParsedMarket(
            m.Symbol,
            m.Type.ToString().ToLowerInvariant(),
            m.IsContract ? m.Margin == Margin.Linear : null,
            m.IsContract ? m.Margin == Margin.Inverse : null,
            m.Settle,
            (double?)m.ContractSize,
            m.Expiry?.ToUnixTimeMilliseconds(),
            (double?)m.Strike,
            m.OptionType?.ToString().ToLowerInvariant()));
        Assert.Equal(expected.OrderBy(m => m.Symbol, StringComparer.Ordinal), parsed.OrderBy(m => m.Symbol, StringComparer.Ordinal));
    }

    // Non-empty, bids descending, asks ascending, not crossed, and near where the instrument trades.
    private static void AssertWellFormed(ParsedBook book, SimulatedMarket market)
    {
        Assert.NotEmpty(book.Bids);
        Assert.NotEmpty(book.Asks);
        Assert.All(book.Bids.Zip(book.Bids.Skip(1)), pair => Assert.True(pair.First[0] > pair.Second[0], $"{book.Symbol}: bids out of order"));
        Assert.All(book.Asks.Zip(book.Asks.Skip(1)), pair => Assert.True(pair.First[0] < pair.Second[0], $"{book.Symbol}: asks out of order"));
        Assert.True(book.Bids[0][0] < book.Asks[0][0], $"{book.Symbol}: crossed");
        Assert.All(book.Bids.Concat(book.Asks), level => Assert.True(level[0] > 0 && level[1] > 0, $"{book.Symbol}: a level {level[0]} x {level[1]}"));
        var mid = (book.Bids[0][0] + book.Asks[0][0]) / 2;
        Assert.InRange(mid, market.FairPrice * 0.99, market.FairPrice * 1.01);
    }

    private static async Task<ClientResult> RunDefaultClientAsync(Uri simulator, string exchange, string mode)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var startInfo = new ProcessStartInfo("node", [Path.Combine(AppContext.BaseDirectory, "default-client.js"), simulator.ToString(), exchange, mode])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var line = await output;
            Assert.True(process.ExitCode == 0 && line.Length > 0, $"default-client.js {exchange} {mode}: exit {process.ExitCode}, {await errors}");
            return JsonSerializer.Deserialize<ClientResult>(line, Json)!;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private sealed record ClientResult(int Currencies, IReadOnlyList<ParsedMarket>? Markets, IReadOnlyList<ParsedBook>? Books, string? Error, string? Message);

    private sealed record ParsedMarket(string Symbol, string Type, bool? Linear, bool? Inverse, string? Settle, double? ContractSize, long? Expiry, double? Strike, string? OptionType);

    private sealed record ParsedBook(string Symbol, double[][] Bids, double[][] Asks);
}
