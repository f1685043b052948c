namespace OrderBookSweep.Coordination.Tests;

/// <summary>
/// The base of the coordination suites, one per primitive (job queue, semaphore, sweep store,
/// result store), each run once per real server (redis-server and embedded Garnet). Each test
/// uses its own key prefix, so tests never see each other's keys.
/// </summary>
public abstract class CoordinationSuite(ITestServer server) : IAsyncLifetime
{
    private readonly List<CoordinationClient> _clients = [];

    protected string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..12];

    protected CoordinationKeys Keys => new(Prefix);

    protected ITestServer Server => server;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    protected async Task<CoordinationClient> ConnectAsync(CoordinationOptions? options = null, string? clientName = null)
    {
        var client = await CoordinationClient.ConnectAsync(server.ConnectionString, options ?? CoordinationClient.TestOptions(Prefix), clientName);
        _clients.Add(client);
        return client;
    }

    /// <summary>A bound on every blocking call, so a broken library fails a test instead of hanging it.</summary>
    protected static CancellationToken Soon() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    protected static ExchangeOutcome Succeeded(int symbols = 1) =>
        ExchangeOutcome.Swept(symbols, new Dictionary<string, int>(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    protected static ExchangeOutcome Failure(string errorClass, string message) =>
        ExchangeOutcome.Failed(errorClass, message, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
}

/// <summary>One redis-server shared by the suites' classes that run against it.</summary>
[CollectionDefinition(Name)]
public sealed class RedisServerCollection : ICollectionFixture<RedisServerProcess>
{
    public const string Name = "redis-server";
}

/// <summary>One embedded Garnet shared by the suites' classes that run against it.</summary>
[CollectionDefinition(Name)]
public sealed class GarnetCollection : ICollectionFixture<GarnetServer>
{
    public const string Name = "garnet";
}
