namespace OrderBookSweep.Coordination.Tests;

/// <summary>The suites' real redis-server (Debian package): the harness's <see cref="RedisServer"/>, one per collection.</summary>
public sealed class RedisServerProcess : ITestServer, IAsyncLifetime
{
    private RedisServer? _server;

    public string ConnectionString => (_server ?? throw new InvalidOperationException("redis-server is not started.")).ConnectionString;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
