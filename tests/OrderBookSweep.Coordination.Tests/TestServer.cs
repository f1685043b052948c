namespace OrderBookSweep.Coordination.Tests;

/// <summary>A real Redis-compatible server the suite runs against.</summary>
public interface ITestServer
{
    string ConnectionString { get; }
}
