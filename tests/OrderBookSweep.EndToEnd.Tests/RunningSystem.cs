namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// One system (redis-server with its generated password, 2 workers) shared by the test classes
/// of <see cref="Collection"/>: they run one after another on it, one boot for all.
/// </summary>
public sealed class RunningSystem : IAsyncLifetime
{
    public const string Collection = "running system";

    public SweepSystem System { get; private set; } = null!;

    public async Task InitializeAsync() => System = await SweepSystem.StartAsync("server", workerReplicas: 2);

    public async Task DisposeAsync() => await System.DisposeAsync();
}

[CollectionDefinition(RunningSystem.Collection)]
public sealed class RunningSystemCollection : ICollectionFixture<RunningSystem>;
