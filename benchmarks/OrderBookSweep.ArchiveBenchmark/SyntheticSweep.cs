using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using StackExchange.Redis;

namespace OrderBookSweep.ArchiveBenchmark;

/// <summary>
/// A sweep stored as the workers store one: jobs claimed under leases, books published in batches
/// with the real scripts, outcomes recorded. Books as the exchange simulator makes them: whole
/// ticks of 0.01 one to three apart around the mid, amounts in whole units of 0.0001.
/// </summary>
internal static class SyntheticSweep
{
    private const int PublishBatch = 50;

    public static async Task<SeededSweep> SeedAsync(string redis, BenchmarkSettings settings)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var options = Options.Create(new CoordinationOptions());
        var sweeps = new SweepStore(connection, options);
        var queue = new JobQueue(connection, options);
        var results = new ResultStore(connection, options);
        var exchanges = Exchanges(settings);
        var sweepId = (await sweeps.StartSweepAsync(exchanges, force: false, null, null, default)).SweepId;
        var perExchange = settings.Books / settings.Exchanges;
        foreach (var _ in exchanges)
        {
            await using var lease = await queue.ClaimAsync("bench", default);
            var startedAt = DateTimeOffset.UtcNow;
            for (var start = 0; start < perExchange; start += PublishBatch)
            {
                var batch = Enumerable.Range(start, Math.Min(PublishBatch, perExchange - start))
                    .Select(i => Book(lease.Job.Exchange, Symbol(i), sweepId, settings.Levels, DateTimeOffset.UtcNow)).ToList();
                await results.PublishBooksAsync(lease, batch, default);
            }

            await lease.CompleteAsync(ExchangeOutcome.Swept(perExchange, new Dictionary<string, int>(), startedAt, DateTimeOffset.UtcNow), default);
        }

        var keys = new CoordinationKeys(options.Value.KeyPrefix);
        var db = connection.GetDatabase();
        var lengths = exchanges.SelectMany(e => Enumerable.Range(0, perExchange).Select(i => db.StringLengthAsync(keys.Book(e, Symbol(i))))).ToList();
        return new SeededSweep(sweepId, exchanges.Count * perExchange, (await Task.WhenAll(lengths)).Sum());
    }

    public static IReadOnlyList<string> Exchanges(BenchmarkSettings settings) =>
        [.. Enumerable.Range(0, settings.Exchanges).Select(i => $"exchange{i:D3}")];

    public static string Symbol(int i) => $"COIN{i:D4}/USDT";

    public static BookSnapshot Book(string exchange, string symbol, long sweepId, int levels, DateTimeOffset fetchedAt)
    {
        var random = new Random(HashCode.Combine(exchange, symbol, sweepId));
        var midTicks = random.Next(1_000, 10_000_000);
        OrderBookLevel[] Side(int direction)
        {
            var side = new OrderBookLevel[levels];
            long ticks = midTicks + direction * random.Next(1, 4);
            for (var i = 0; i < levels; i++, ticks += direction * random.Next(1, 4))
            {
                side[i] = new OrderBookLevel(ticks / 100.0, random.Next(1, 100_001) / 10_000.0);
            }

            return side;
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(fetchedAt.ToUnixTimeMilliseconds());
        return new BookSnapshot(exchange, symbol, Side(-1), Side(+1), at.ToUnixTimeMilliseconds() - 25, null, null, sweepId, "bench", at);
    }
}

internal sealed record SeededSweep(long SweepId, int Books, long JsonBytes);
