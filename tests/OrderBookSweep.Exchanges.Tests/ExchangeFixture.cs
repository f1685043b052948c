namespace OrderBookSweep.Exchanges.Tests;

/// <summary>One simulator and one engine for the whole suite: starting Node and loading ccxt costs about half a second.</summary>
public sealed class ExchangeFixture : IAsyncLifetime
{
    public SimulatorServer Simulator { get; private set; } = null!;

    public EngineHost Engine { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Simulator = await SimulatorServer.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator:HangDuration"] = "00:00:30",
        });
        Engine = await EngineHost.StartAsync(Simulator.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ExchangeCollection : ICollectionFixture<ExchangeFixture>
{
    public const string Name = "exchanges";
}
