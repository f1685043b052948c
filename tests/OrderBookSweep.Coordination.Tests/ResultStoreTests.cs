namespace OrderBookSweep.Coordination.Tests;

/// <summary>Books: fenced writes, size and input checks, foreign values, notifications.</summary>
public abstract class ResultStoreSuite(ITestServer server) : CoordinationSuite(server)
{
    [Fact]
    public async Task Bad_input_gives_clear_errors_and_damages_nothing()
    {
        var client = await ConnectAsync();
        await client.Catalog.PublishAsync(["binance", "kraken"], default);

        await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync([], false, null, null, default));
        foreach (var bad in new[] { "", " ", "Binance", "a|b", "x y", "quo\"te", new string('a', 65), "-lead" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync(["binance", bad], false, null, null, default));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => client.Sweeps.StartSweepAsync(["binance", "binance"], false, null, null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Catalog.PublishAsync(["ok", "NOT OK"], default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Semaphore.AcquireAsync("bad|holder", "binance", Soon()));
        Assert.Null(await client.Sweeps.GetLatestSweepAsync(default));

        var start = await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default);
        await using var lease = await client.Queue.ClaimAsync("w", Soon());
        var huge = Enumerable.Range(0, 40_000).Select(i => new[] { 1000m + i, 1.123456789m }).ToList();
        var oversized = new BookSnapshot("binance", "BTC/USDT", huge, huge, null, null, null, start.SweepId, "w", DateTimeOffset.UtcNow);
        await Assert.ThrowsAsync<ArgumentException>(() => client.Results.PublishBookAsync(lease, oversized, default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Results.PublishBookAsync(lease, oversized with { Bids = [], Asks = [], Exchange = "kraken" }, default));
        Assert.Null(await client.Results.GetBookAsync("binance", "BTC/USDT", default));

        // A foreign value under one of our keys: a clear error naming the key, others unharmed.
        await client.Database.StringSetAsync(Keys.Book("kraken", "ETH/USDT"), "not json");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => client.Results.GetBookAsync("kraken", "ETH/USDT", default));
        Assert.Contains(Keys.Book("kraken", "ETH/USDT").ToString(), error.Message);
        await client.Database.StringSetAsync(Keys.Catalog, "{\"v\":1,\"exchanges\":42}");
        await Assert.ThrowsAsync<InvalidDataException>(() => client.Catalog.GetAsync(default));

        await lease.CompleteAsync(Succeeded(), default);
        Assert.Equal(SweepState.Completed, (await client.Sweeps.GetSweepAsync(start.SweepId, default))!.State);
    }

    [Fact]
    public async Task Books_are_announced_to_subscribers()
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
                if (received.Count == 2)
                {
                    return;
                }
            }
        });
        // Someone else's message on our channel is skipped, not fatal.
        await client.Redis.GetSubscriber().PublishAsync(Keys.Books, "garbage");
        var start = await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default);
        await using var lease = await client.Queue.ClaimAsync("w", Soon());
        foreach (var symbol in new[] { "BTC/USDT", "ETH/USDT" })
        {
            Assert.True(await client.Results.PublishBookAsync(lease, new BookSnapshot("binance", symbol, [[1m, 2m]], [[3m, 4m]], 1700000000000, "2023-11-14T22:13:20.000Z", 7, start.SweepId, "w", DateTimeOffset.UtcNow), default));
        }

        await reader.WaitAsync(stop.Token);
        Assert.Equal(["BTC/USDT", "ETH/USDT"], received.Select(n => n.Symbol));
        Assert.Equal(Keys.Book("binance", "ETH/USDT").ToString(), received[1].Key);
        var ttl = await client.Database.KeyTimeToLiveAsync(received[1].Key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }
}

[Collection(RedisServerCollection.Name)]
public sealed class ResultStoreOnRedisServer(RedisServerProcess server) : ResultStoreSuite(server);

[Collection(GarnetCollection.Name)]
public sealed class ResultStoreOnGarnet(GarnetServer server) : ResultStoreSuite(server);
