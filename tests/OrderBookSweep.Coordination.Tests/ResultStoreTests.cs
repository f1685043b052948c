using System.Text.Json;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>Books: fenced writes, size and input checks, foreign values, notifications.</summary>
public abstract class ResultStoreSuite(ITestServer server) : CoordinationSuite(server)
{
    [Fact]
    public async Task Bad_input_gives_clear_errors_and_damages_nothing()
    {
        // Nothing here is about leases: a long one, so that building and refusing the oversized
        // book on a loaded machine cannot outlast it.
        var options = CoordinationClient.TestOptions(Prefix);
        options.LeaseDuration = TimeSpan.FromSeconds(10);
        options.RenewInterval = TimeSpan.FromSeconds(2);
        var client = await ConnectAsync(options);
        await client.Catalog.PublishAsync(CoordinationClient.DirectProfiles("binance", "kraken"), default);

        await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync([], false, null, null, default));
        foreach (var bad in new[] { "", " ", "Binance", "a|b", "x y", "quo\"te", new string('a', 65), "-lead" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync(["binance", bad], false, null, null, default));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync(["binance", "binance"], false, null, null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Catalog.PublishAsync(CoordinationClient.DirectProfiles("ok", "NOT OK"), default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Semaphore.AcquireAsync("bad|holder", "binance", Soon()));
        Assert.Null(await client.Sweeps.GetLatestSweepAsync(default));

        var start = await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default);
        await using var lease = await client.Queue.ClaimAsync("w", Soon());
        var huge = Enumerable.Range(0, 40_000).Select(i => new OrderBookLevel(1000 + i, 1.123456789)).ToList();
        var oversized = new BookSnapshot("binance", "BTC/USDT", huge, huge, null, null, null, start.SweepId, "w", DateTimeOffset.UtcNow);
        await Assert.ThrowsAsync<ArgumentException>(() => client.Results.PublishBookAsync(lease, oversized, default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Results.PublishBookAsync(lease, oversized with { Bids = [], Asks = [], Exchange = "kraken" }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Results.PublishBookAsync(lease, oversized with { Bids = [new(double.NaN, 1)], Asks = [] }, default));
        // One bad book in a batch: none of it is stored.
        var fine = oversized with { Symbol = "ETH/USDT", Bids = [new(1, 2)], Asks = [] };
        await Assert.ThrowsAsync<ArgumentException>(() => client.Results.PublishBooksAsync(lease, [fine, oversized with { Symbol = "bad symbol" }], default));
        Assert.Null(await client.Results.GetBookAsync("binance", "BTC/USDT", default));
        Assert.Null(await client.Results.GetBookAsync("binance", "ETH/USDT", default));

        // A foreign value under one of our keys: a clear error naming the key, others unharmed.
        await client.Database.StringSetAsync(Keys.Book("kraken", "ETH/USDT"), "not json");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => client.Results.GetBookAsync("kraken", "ETH/USDT", default));
        Assert.Contains(Keys.Book("kraken", "ETH/USDT").ToString(), error.Message);
        await client.Database.StringSetAsync(Keys.Book("kraken", "XBT/USD"), StoredBook("kraken", "XBT/USD", "[[\"1\",\"2\"]]", "[]"));
        await Assert.ThrowsAsync<InvalidDataException>(() => client.Results.GetBookAsync("kraken", "XBT/USD", default));
        await client.Database.StringSetAsync(Keys.Catalog, "{\"v\":1,\"exchanges\":42}");
        await Assert.ThrowsAsync<InvalidDataException>(() => client.Catalog.GetAsync(default));
        // A value of another type reads the same way (the server's WRONGTYPE).
        await client.Database.HashSetAsync(Keys.Book("kraken", "SOL/USD"), "not", "a string");
        error = await Assert.ThrowsAsync<InvalidDataException>(() => client.Results.GetBookAsync("kraken", "SOL/USD", default));
        Assert.Contains(Keys.Book("kraken", "SOL/USD").ToString(), error.Message);

        await lease.CompleteAsync(Succeeded(), default);
        Assert.Equal(SweepState.Completed, (await client.Sweeps.GetSweepAsync(start.SweepId, default))!.State);
    }

    [Fact]
    public async Task The_catalog_keeps_each_exchanges_profile_and_reads_one_written_with_ids_only()
    {
        var client = await ConnectAsync();
        await client.Catalog.PublishAsync([new("kraken", 1000, ExchangeReach.Simulated), new("coinbase", 34, ExchangeReach.NotSimulated)], default);
        Assert.Equal(["coinbase", "kraken"], await client.Catalog.GetAsync(default));
        Assert.Equal(
            [new ExchangeProfile("coinbase", 34, ExchangeReach.NotSimulated), new ExchangeProfile("kraken", 1000, ExchangeReach.Simulated)],
            await client.Catalog.GetProfilesAsync(default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Catalog.PublishAsync(CoordinationClient.DirectProfiles("okx", "okx"), default));

        // As a worker of the format's first release wrote it: every exchange direct.
        await client.Database.StringSetAsync(Keys.Catalog, "{\"v\":1,\"exchanges\":[\"binance\"],\"publishedAt\":1}");
        Assert.Equal([new ExchangeProfile("binance", 0, ExchangeReach.Direct)], await client.Catalog.GetProfilesAsync(default));
    }

    [Fact]
    public async Task A_book_reads_back_with_the_same_doubles_and_one_stored_with_decimal_levels_still_reads()
    {
        var client = await ConnectAsync();
        var start = await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default);
        await using var lease = await client.Queue.ClaimAsync("w", Soon());
        OrderBookLevel[] bids = [new(43251.37, 0.00012345), new(0.1 + 0.2, 5e-324), new(1.7976931348623157e308, 1e21)];
        OrderBookLevel[] asks = [new(1e-8, 123456789.12345678)];

        Assert.True(await client.Results.PublishBookAsync(lease, new BookSnapshot("binance", "BTC/USDT", bids, asks, null, null, null, start.SweepId, "w", DateTimeOffset.UtcNow), default));

        var book = await client.Results.GetBookAsync("binance", "BTC/USDT", default);
        Assert.Equal(bids, book!.Bids);
        Assert.Equal(asks, book.Asks);
        // Stored as [price, amount] arrays of numbers, readable by any JSON reader.
        using var stored = JsonDocument.Parse((string)(await client.Database.StringGetAsync(Keys.Book("binance", "BTC/USDT")))!);
        Assert.Equal(
            bids.Select(l => (2, l.Price, l.Amount)),
            stored.RootElement.GetProperty("bids").EnumerateArray().Select(l => (l.GetArrayLength(), l[0].GetDouble(), l[1].GetDouble())));

        // Books written when levels were decimal arrays: plain decimal digits, trailing zeros, a third element.
        await client.Database.StringSetAsync(Keys.Book("kraken", "XBT/USD"),
            StoredBook("kraken", "XBT/USD", "[[43251.37,0.00012345,3],[43251.30,1.50]]", "[[0.00000001,12345678901234567890.123456789]]"));
        var old = await client.Results.GetBookAsync("kraken", "XBT/USD", default);
        Assert.Equal([new(43251.37, 0.00012345), new(43251.3, 1.5)], old!.Bids);
        Assert.Equal([new(1e-8, 12345678901234567890.123456789)], old.Asks);
    }

    private static string StoredBook(string exchange, string symbol, string bids, string asks) =>
        $$"""{"v":1,"exchange":"{{exchange}}","symbol":"{{symbol}}","bids":{{bids}},"asks":{{asks}},"timestamp":1700000000000,"datetime":"2023-11-14T22:13:20.000Z","nonce":null,"sweepId":12,"worker":"worker-1","fetchedAt":1700000000123}""";

    [Fact]
    public async Task Books_are_announced_to_subscribers_one_by_one_also_when_stored_in_one_call()
    {
        var client = await ConnectAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<BookNotification>();
        var books = await client.Results.SubscribeBooksAsync(stop.Token);
        var reader = Task.Run(async () =>
        {
            await foreach (var n in books)
            {
                received.Add(n);
                if (received.Count == 3)
                {
                    return;
                }
            }
        });
        // Someone else's message on our channel is skipped, not fatal.
        await client.Redis.GetSubscriber().PublishAsync(Keys.Books, "garbage");
        var start = await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default);
        await using var lease = await client.Queue.ClaimAsync("w", Soon());
        BookSnapshot Book(string symbol, double bid) =>
            new("binance", symbol, [new(bid, 2)], [new(3, 4)], 1700000000000, "2023-11-14T22:13:20.000Z", 7, start.SweepId, "w", DateTimeOffset.UtcNow);
        Assert.True(await client.Results.PublishBookAsync(lease, Book("BTC/USDT", 1), default));
        Assert.True(await client.Results.PublishBooksAsync(lease, [Book("ETH/USDT", 1.5), Book("SOL/USDT", 2.5)], default));

        await reader.WaitAsync(stop.Token);
        Assert.Equal(["BTC/USDT", "ETH/USDT", "SOL/USDT"], received.Select(n => n.Symbol));
        Assert.Equal([Keys.Book("binance", "ETH/USDT").ToString(), Keys.Book("binance", "SOL/USDT").ToString()], received.Skip(1).Select(n => n.Key));
        var eth = await client.Results.GetBookAsync("binance", "ETH/USDT", default);
        var sol = await client.Results.GetBookAsync("binance", "SOL/USDT", default);
        Assert.Equal((1.5, 2.5), (eth!.Bids[0].Price, sol!.Bids[0].Price));
        foreach (var notification in received)
        {
            var ttl = await client.Database.KeyTimeToLiveAsync(notification.Key);
            Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        }

        // Each in the book index, under its exchange.
        Assert.Equal(["BTC/USDT", "ETH/USDT", "SOL/USDT"], (await client.Database.SortedSetRangeByRankAsync(Keys.BookSymbols("binance"))).Select(s => (string?)s).Order());
    }
}

[Collection(RedisServerCollection.Name)]
public sealed class ResultStoreOnRedisServer(RedisServerProcess server) : ResultStoreSuite(server);

[Collection(GarnetCollection.Name)]
public sealed class ResultStoreOnGarnet(GarnetServer server) : ResultStoreSuite(server);
