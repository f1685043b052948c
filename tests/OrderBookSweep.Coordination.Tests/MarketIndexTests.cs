using System.Text.Json;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>The market index the publish script keeps: venues per symbol, symbols per base, their expiry.</summary>
public abstract class MarketIndexSuite(ITestServer server) : CoordinationSuite(server)
{
    private static readonly MarketInfo BtcUsdt = new(MarketType.Spot, "BTC", "USDT", null, null, null, null);
    private static readonly MarketInfo BtcUsdc = BtcUsdt with { Quote = "USDC" };
    private static readonly MarketInfo EthUsdt = BtcUsdt with { Base = "ETH" };
    private static readonly MarketInfo BtcUsdtSwap = new(MarketType.Swap, "BTC", "USDT", "USDT", 0.001, Linear: true, Inverse: false);

    [Fact]
    public async Task Every_venue_of_a_symbol_and_every_symbol_of_a_base_read_back_from_the_index()
    {
        var client = await ConnectAsync(LongLeaseOptions());
        var leases = await ClaimAsync(client, "binance", "kraken", "okx");
        // Two books of one base in one batch: the base's key is passed twice in KEYS.
        Assert.True(await client.Results.PublishBooksAsync(leases["binance"],
            [Book(leases["binance"], "BTC/USDT", BtcUsdt, 100), Book(leases["binance"], "BTC/USDC", BtcUsdc, 100.2), Book(leases["binance"], "ETH/USDT", EthUsdt, 5)], default));
        Assert.True(await client.Results.PublishBooksAsync(leases["kraken"], [Book(leases["kraken"], "BTC/USDT", BtcUsdt, 99)], default));
        Assert.True(await client.Results.PublishBooksAsync(leases["okx"],
            [Book(leases["okx"], "BTC/USDT", BtcUsdt, 101), Book(leases["okx"], "BTC/USDT:USDT", BtcUsdtSwap, 100.5)], default));

        var market = await client.Markets.GetVenuesAsync("BTC/USDT", default);
        Assert.Equal("BTC/USDT", market.Symbol);
        Assert.Equal(["binance", "kraken", "okx"], market.Venues.Select(v => v.Exchange));
        var kraken = market.Venues[1];
        Assert.Equal(leases["kraken"].Job.SweepId, kraken.SweepId);
        Assert.Equal(BtcUsdt, kraken.Market);
        Assert.Equal(99, kraken.Metrics.BestBid);
        Assert.Equal(Json(Metrics([new(99, 2)], [new(100, 3)], BtcUsdt)), Json(kraken.Metrics));
        Assert.Empty((await client.Markets.GetVenuesAsync("XRP/USDT", default)).Venues);

        var (spot, truncated) = await client.Markets.GetBaseAsync("BTC", ["USDT", "USDC"], MarketType.Spot, default);
        Assert.False(truncated);
        Assert.Equal(["BTC/USDC", "BTC/USDT"], spot.Select(s => s.Symbol));
        Assert.Equal([1, 3], spot.Select(s => s.Venues.Count));
        var (all, _) = await client.Markets.GetBaseAsync("BTC", [], null, default);
        Assert.Equal(["BTC/USDC", "BTC/USDT", "BTC/USDT:USDT"], all.Select(s => s.Symbol));
        var (swaps, _) = await client.Markets.GetBaseAsync("BTC", ["USDT"], MarketType.Swap, default);
        Assert.Equal("okx", Assert.Single(Assert.Single(swaps).Venues).Exchange);
        Assert.Empty((await client.Markets.GetBaseAsync("BTC", ["EUR"], null, default)).Symbols);
        Assert.Equal("ETH/USDT", Assert.Single((await client.Markets.GetBaseAsync("ETH", [], null, default)).Symbols).Symbol);

        // The book itself carries the same market and metrics.
        var book = await client.Results.GetBookAsync("okx", "BTC/USDT:USDT", default);
        Assert.Equal(BtcUsdtSwap, book!.Market);
        Assert.Equal(Json(Metrics([new(100.5, 2)], [new(101.5, 3)], BtcUsdtSwap)), Json(book.Metrics));
    }

    [Fact]
    public async Task A_venue_leaves_the_index_when_its_book_expires_and_is_pruned_by_the_next_write()
    {
        var options = LongLeaseOptions();
        options.BookTtl = TimeSpan.FromSeconds(1);
        var client = await ConnectAsync(options);
        var leases = await ClaimAsync(client, "binance", "kraken");
        Assert.True(await client.Results.PublishBooksAsync(leases["binance"], [Book(leases["binance"], "BTC/USDT", BtcUsdt, 100)], default));
        var ttl = await client.Database.KeyTimeToLiveAsync(Keys.MarketEntries("BTC/USDT"));
        Assert.InRange(ttl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));

        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        Assert.Empty((await client.Markets.GetVenuesAsync("BTC/USDT", default)).Venues);
        Assert.Empty((await client.Markets.GetBaseAsync("BTC", [], null, default)).Symbols);

        // Still there if the key has not expired yet, then pruned by kraken's write.
        options.BookTtl = TimeSpan.FromHours(1);
        var later = await ConnectAsync(options);
        await client.Database.HashSetAsync(Keys.MarketEntries("BTC/USDT"), "binance", "left behind");
        await client.Database.SortedSetAddAsync(Keys.MarketVenues("BTC/USDT"), "binance", 1);
        Assert.True(await later.Results.PublishBooksAsync(leases["kraken"], [Book(leases["kraken"], "BTC/USDT", BtcUsdt, 99)], default));
        Assert.Equal(["kraken"], (await client.Database.HashKeysAsync(Keys.MarketEntries("BTC/USDT"))).Select(k => (string?)k));
        Assert.Equal(["kraken"], (await client.Markets.GetVenuesAsync("BTC/USDT", default)).Venues.Select(v => v.Exchange));
    }

    [Fact]
    public async Task A_book_without_a_market_is_stored_without_metrics_and_left_out_of_the_index()
    {
        var client = await ConnectAsync(LongLeaseOptions());
        var leases = await ClaimAsync(client, "binance");
        var lease = leases["binance"];
        Assert.True(await client.Results.PublishBooksAsync(lease,
            [Book(lease, "BTC/USDT", null, 100), Book(lease, "ETH/USDT", EthUsdt, 5)], default));

        var book = await client.Results.GetBookAsync("binance", "BTC/USDT", default);
        Assert.Equal(100, book!.Bids[0].Price);
        Assert.Null(book.Market);
        Assert.Null(book.Metrics);
        Assert.Empty((await client.Markets.GetVenuesAsync("BTC/USDT", default)).Venues);
        Assert.Single((await client.Markets.GetVenuesAsync("ETH/USDT", default)).Venues);
        Assert.False(await client.Database.KeyExistsAsync(Keys.MarketSymbols(MarketType.Spot, "")));
    }

    [Fact]
    public async Task Foreign_data_in_the_index_is_a_clear_error_naming_the_key()
    {
        var client = await ConnectAsync(LongLeaseOptions());
        var leases = await ClaimAsync(client, "binance");
        Assert.True(await client.Results.PublishBooksAsync(leases["binance"], [Book(leases["binance"], "BTC/USDT", BtcUsdt, 100)], default));
        await client.Database.HashSetAsync(Keys.MarketEntries("BTC/USDT"), "binance", "not json");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => client.Markets.GetVenuesAsync("BTC/USDT", default));
        Assert.Contains(Keys.MarketEntries("BTC/USDT").ToString(), error.Message);
        await client.Database.StringSetAsync(Keys.MarketSymbols(MarketType.Spot, "ETH"), "a string");
        error = await Assert.ThrowsAsync<InvalidDataException>(() => client.Markets.GetBaseAsync("ETH", [], MarketType.Spot, default));
        Assert.Contains(Keys.MarketSymbols(MarketType.Spot, "ETH").ToString(), error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => client.Markets.GetBaseAsync("bad\nbase", [], null, default));
    }

    /// <summary>
    /// Leases that outlive every test here by far, also on a loaded machine (the first run of the
    /// publish script on a fresh server can take longer than a test lease): nothing here is about leases.
    /// </summary>
    private CoordinationOptions LongLeaseOptions()
    {
        var options = CoordinationClient.TestOptions(Prefix);
        options.LeaseDuration = TimeSpan.FromSeconds(10);
        options.RenewInterval = TimeSpan.FromSeconds(2);
        return options;
    }

    private async Task<Dictionary<string, JobLease>> ClaimAsync(CoordinationClient client, params string[] exchanges)
    {
        await client.Sweeps.StartSweepAsync(exchanges, false, null, null, default);
        var leases = new Dictionary<string, JobLease>();
        for (var i = 0; i < exchanges.Length; i++)
        {
            var lease = await client.Queue.ClaimAsync("w", Soon());
            leases[lease.Job.Exchange] = lease;
        }

        return leases;
    }

    /// <summary>A one-level book around <paramref name="bid"/> with its metrics, as the worker would store it.</summary>
    private static BookSnapshot Book(JobLease lease, string symbol, MarketInfo? market, double bid)
    {
        OrderBookLevel[] bids = [new(bid, 2)], asks = [new(bid + 1, 3)];
        return new BookSnapshot(lease.Job.Exchange, symbol, bids, asks, null, null, null, lease.Job.SweepId, "w", DateTimeOffset.UtcNow,
            market, market is null ? null : Metrics(bids, asks, market));
    }

    private static BookMetrics Metrics(OrderBookLevel[] bids, OrderBookLevel[] asks, MarketInfo market) =>
        BookMetricsCalculator.Compute(bids, asks, market, null, DateTimeOffset.UtcNow, MetricBands.Default);

    private static string Json(BookMetrics? metrics) => JsonSerializer.Serialize(metrics, new JsonSerializerOptions(JsonSerializerDefaults.Web));
}

[Collection(RedisServerCollection.Name)]
public sealed class MarketIndexOnRedisServer(RedisServerProcess server) : MarketIndexSuite(server);

[Collection(GarnetCollection.Name)]
public sealed class MarketIndexOnGarnet(GarnetServer server) : MarketIndexSuite(server);
