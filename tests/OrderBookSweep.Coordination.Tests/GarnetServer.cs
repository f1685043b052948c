using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>The embedded Garnet server (lua-transaction-mode on) in this test process.</summary>
public sealed class GarnetServer : ITestServer, IDisposable
{
    private readonly EmbeddedGarnetServer _server = EmbeddedGarnetServer.Start();

    public string ConnectionString => _server.ConnectionString;

    public void Dispose() => _server.Dispose();
}
