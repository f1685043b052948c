namespace OrderBookSweep.Coordination.Tests;

/// <summary>Reading back one exchange's books of one sweep (what the scheduler's archive stages), on every server.</summary>
public abstract class SweepBooksSuite(ITestServer server) : CoordinationSuite(server)
{
    [Fact]
    public async Task Only_the_books_of_that_sweep_and_attempt_come_back_in_symbol_order_a_batch_at_a_time()
    {
        // Nothing here is about leases: a long one, so that a loaded machine cannot outlast it.
        var options = CoordinationClient.TestOptions(Prefix);
        options.LeaseDuration = TimeSpan.FromSeconds(10);
        options.RenewInterval = TimeSpan.FromSeconds(2);
        var client = await ConnectAsync(options);
        var first = (await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default)).SweepId;
        var startedAt = DateTimeOffset.UtcNow;
        await using (var lease = await client.Queue.ClaimAsync("w", Soon()))
        {
            Assert.True(await client.Results.PublishBooksAsync(lease, [.. new[] { "SOL/USDT", "BTC/USDT", "ETH/USDT", "ADA/USDT", "XRP/USDT" }.Select(s => Book(s, first))], default));
            await lease.CompleteAsync(Succeeded(5), default);
        }

        // A later sweep replaces one of them; a foreign value sits under another's key.
        var second = (await client.Sweeps.StartSweepAsync(["binance"], false, null, null, default)).SweepId;
        await using (var lease = await client.Queue.ClaimAsync("w", Soon()))
        {
            Assert.True(await client.Results.PublishBookAsync(lease, Book("ETH/USDT", second), default));
        }

        await client.Database.StringSetAsync(Keys.Book("binance", "XRP/USDT"), "not a book");

        var books = await ToListAsync(client.Results.ReadSweepBooksAsync(first, "binance", startedAt.AddSeconds(-1), batchSize: 2, default));
        Assert.Equal(["ADA/USDT", "BTC/USDT", "SOL/USDT"], books.Select(b => b.Symbol));
        Assert.All(books, b => Assert.Equal(first, b.SweepId));
        Assert.Equal(["ETH/USDT"], (await ToListAsync(client.Results.ReadSweepBooksAsync(second, "binance", null, 100, default))).Select(b => b.Symbol));
        // Books fetched before the attempt that recorded the outcome started are an earlier attempt's.
        Assert.Empty(await ToListAsync(client.Results.ReadSweepBooksAsync(first, "binance", DateTimeOffset.UtcNow.AddMinutes(1), 100, default)));
        Assert.Empty(await ToListAsync(client.Results.ReadSweepBooksAsync(first, "kraken", null, 100, default)));
    }

    private static BookSnapshot Book(string symbol, long sweepId) =>
        new("binance", symbol, [new(1, 2)], [new(3, 4)], null, null, null, sweepId, "w", DateTimeOffset.UtcNow);

    private static async Task<List<BookSnapshot>> ToListAsync(IAsyncEnumerable<BookSnapshot> books)
    {
        var list = new List<BookSnapshot>();
        await foreach (var book in books)
        {
            list.Add(book);
        }

        return list;
    }
}

[Collection(RedisServerCollection.Name)]
public sealed class SweepBooksOnRedisServer(RedisServerProcess server) : SweepBooksSuite(server);

[Collection(GarnetCollection.Name)]
public sealed class SweepBooksOnGarnet(GarnetServer server) : SweepBooksSuite(server);
