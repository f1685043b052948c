using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;
using StackExchange.Redis;

namespace OrderBookSweep.Harness;

/// <summary>
/// What one worker or scheduler process has: its own Redis connection and the coordination
/// services on it, with short leases and waits for tests (<see cref="TestOptions"/>). Tests
/// create several to race over separate connections.
/// </summary>
public sealed class CoordinationClient : IAsyncDisposable
{
    private CoordinationClient(ConnectionMultiplexer redis, CoordinationOptions options)
    {
        Redis = redis;
        Options = options;
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        Sweeps = new SweepStore(redis, wrapped);
        Queue = new JobQueue(redis, wrapped);
        Semaphore = new ExchangeSemaphore(redis, wrapped);
        Results = new ResultStore(redis, wrapped);
        Catalog = new ExchangeCatalog(redis, wrapped);
        Markets = new MarketIndex(redis, wrapped);
    }

    public ConnectionMultiplexer Redis { get; }

    public CoordinationOptions Options { get; }

    public SweepStore Sweeps { get; }

    public JobQueue Queue { get; }

    public ExchangeSemaphore Semaphore { get; }

    public ResultStore Results { get; }

    public ExchangeCatalog Catalog { get; }

    public MarketIndex Markets { get; }

    public IDatabase Database => Redis.GetDatabase();

    public static async Task<CoordinationClient> ConnectAsync(string connectionString, CoordinationOptions options, string? clientName = null)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        configuration.AllowAdmin = true;
        configuration.ClientName = clientName;
        // Reconnect quickly after the fault tests cut connections.
        configuration.ReconnectRetryPolicy = new LinearRetry(100);
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 5000;
        configuration.AsyncTimeout = 5000;
        var validation = new CoordinationOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(CoordinationOptions), typeof(CoordinationOptions), validation.Failures);
        }

        return new CoordinationClient(await ConnectionMultiplexer.ConnectAsync(configuration), options);
    }

    /// <summary>Short leases and waits so lease tests take about a second, not fifteen.</summary>
    public static CoordinationOptions TestOptions(string prefix, int cap = 5, int maxAttempts = 3) => new()
    {
        KeyPrefix = prefix,
        MaxConcurrentExchanges = cap,
        MaxAttempts = maxAttempts,
        LeaseDuration = TimeSpan.FromMilliseconds(1000),
        RenewInterval = TimeSpan.FromMilliseconds(200),
        ClaimWait = TimeSpan.FromMilliseconds(100),
        PermitRecheckInterval = TimeSpan.FromMilliseconds(100),
        RetryBackoff = TimeSpan.FromMilliseconds(50),
        MaxRetryBackoff = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>A catalog of these ids as workers sweeping real exchanges publish it (no rate limit known).</summary>
    public static IReadOnlyList<ExchangeProfile> DirectProfiles(params string[] ids) =>
        [.. ids.Select(id => new ExchangeProfile(id, 0, ExchangeReach.Direct))];

    public async ValueTask DisposeAsync() => await Redis.DisposeAsync();
}
