namespace OrderBookSweep.Exchanges.Tests;

/// <summary>
/// One simulator and three engines for the whole suite (starting Node and loading ccxt costs about half a second):
/// <see cref="Engine"/> with the worker's defaults (every market type) and a generous request timeout, so a
/// loaded machine never turns an answer into a RequestTimeout, <see cref="ShortTimeoutEngine"/> for the
/// "hang" fault, which must end in one, and <see cref="SpotOnlyEngine"/> with Exchanges:MarketTypes = spot.
/// </summary>
public sealed class ExchangeFixture : IAsyncLifetime
{
    public SimulatorServer Simulator { get; private set; } = null!;

    public EngineHost Engine { get; private set; } = null!;

    public EngineHost ShortTimeoutEngine { get; private set; } = null!;

    public EngineHost SpotOnlyEngine { get; private set; } = null!;

    public static readonly TimeSpan ShortRequestTimeout = TimeSpan.FromSeconds(1.5);

    public async Task InitializeAsync()
    {
        Simulator = await SimulatorServer.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator:HangDuration"] = "00:00:30",
        });
        var engine = EngineHost.StartAsync(Simulator.BaseUrl);
        var shortTimeoutEngine = EngineHost.StartAsync(Simulator.BaseUrl,
            new Dictionary<string, string?> { ["Exchanges:RequestTimeout"] = ShortRequestTimeout.ToString() });
        var spotOnlyEngine = EngineHost.StartAsync(Simulator.BaseUrl,
            new Dictionary<string, string?> { ["Exchanges:MarketTypes:0"] = "spot" });
        Engine = await engine;
        ShortTimeoutEngine = await shortTimeoutEngine;
        SpotOnlyEngine = await spotOnlyEngine;
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await ShortTimeoutEngine.DisposeAsync();
        await SpotOnlyEngine.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ExchangeCollection : ICollectionFixture<ExchangeFixture>
{
    public const string Name = "exchanges";
}
