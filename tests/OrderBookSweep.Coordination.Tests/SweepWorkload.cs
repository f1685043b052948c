using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>
/// Worker loops as the real worker runs them (claim a job, take a permit, publish books,
/// release, complete), racing over separate connections, reporting to an observer. A failed
/// Redis call ends the iteration as a crash would: the lease lapses and the job comes back.
/// </summary>
public static class SweepWorkload
{
    public static Task RunWorkersAsync(IReadOnlyList<CoordinationClient> workers, ConcurrencyObserver observer, CancellationToken ct) =>
        Task.WhenAll(workers.Select((client, i) => Task.Run(() => RunWorkerAsync(client, $"worker-{i}", observer, ct), CancellationToken.None)));

    private static async Task RunWorkerAsync(CoordinationClient client, string workerId, ConcurrencyObserver observer, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var job = await client.Queue.ClaimAsync(workerId, ct);
                var exchange = job.Job.Exchange;
                var started = DateTimeOffset.UtcNow;
                await using (var permit = await client.Semaphore.AcquireAsync(workerId, exchange, ct))
                {
                    using var lost = CancellationTokenSource.CreateLinkedTokenSource(job.LeaseLost, permit.LeaseLost, ct);
                    using (observer.Enter(exchange))
                    {
                        var book = new BookSnapshot(exchange, "BTC/USDT", [new(100.5, 2)], [new(101, 1.5)], null, null, null, job.Job.SweepId, workerId, DateTimeOffset.UtcNow);
                        if (!await client.Results.PublishBookAsync(job, book, lost.Token))
                        {
                            continue;
                        }

                        await Task.Delay(Random.Shared.Next(1, 8), lost.Token);
                    }
                }

                await job.CompleteAsync(
                    ExchangeOutcome.Swept(1, new Dictionary<string, int>(), started, DateTimeOffset.UtcNow),
                    ct);
                observer.Completed(exchange);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or LeaseLostException or OperationCanceledException)
            {
                // A crash of this iteration: whatever it held lapses and is taken over.
            }
        }
    }
}
