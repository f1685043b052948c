using System.Diagnostics;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>
/// The seam with both of the worker's changes to ccxt turned off: ccxt's sources as npm installs
/// them (what <c>-p:CompactCcxt=false</c> builds) and ccxt's own parseJson
/// (<c>Exchanges:FastJsonParser=false</c>). What a deployment falls back to when a ccxt version no
/// longer fits either must still sweep every kind of exchange.
/// </summary>
[Collection(ExchangeCollection.Name)]
public sealed class PristineCcxtTests(ExchangeFixture fixture, PristineCcxt ccxt) : IClassFixture<PristineCcxt>
{
    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Theory]
    [InlineData("binance")]
    [InlineData("kraken")]
    [InlineData("okx")]
    [InlineData("htx")]
    [InlineData("bitfinex")]
    public async Task Uncompacted_ccxt_with_its_own_parseJson_reads_what_the_simulator_served(string exchange)
    {
        var source = await File.ReadAllTextAsync(Path.Combine(ccxt.Directory, "node_modules", "ccxt", "js", "src", $"{exchange}.js"), _timeout);
        Assert.Contains("\n    /**", source, StringComparison.Ordinal);
        await using var engine = await EngineHost.StartAsync(fixture.Simulator.BaseUrl, new Dictionary<string, string?>
        {
            ["Exchanges:EngineDirectory"] = ccxt.Directory,
            ["Exchanges:FastJsonParser"] = "false",
        });

        await using var session = await engine.Engine.CreateExchangeAsync(exchange, _timeout);
        var symbols = await session.LoadMarketsAsync(_timeout);
        var listed = await fixture.Simulator.MarketsAsync(exchange);
        Assert.Equal(listed.Select(m => m.Symbol).Order(StringComparer.Ordinal), symbols);
        foreach (var symbol in symbols.Take(2))
        {
            var book = await session.FetchOrderBookAsync(symbol, null, _timeout);
            var served = await fixture.Simulator.LastServedBookAsync(exchange, symbol);
            Assert.Equal(served.Bids.Select(l => new OrderBookLevel((double)l[0], (double)l[1])), book.Bids);
            Assert.Equal(served.Asks.Select(l => new OrderBookLevel((double)l[0], (double)l[1])), book.Asks);
        }
    }
}

/// <summary>The engine's files with the pinned ccxt as <c>npm ci</c> installs it, uncompacted, once for the class.</summary>
public sealed class PristineCcxt : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("obs-ccxt-pristine-").FullName;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        // The engine's own files from the build output (its exchange descriptions too), the lockfile
        // from the source: npm ci then installs the pinned ccxt, and nothing compacts it.
        var output = Path.Combine(AppContext.BaseDirectory, "ccxt-engine");
        foreach (var file in System.IO.Directory.GetFiles(output, "*.js").Concat([Path.Combine(output, "package.json"), Path.Combine(output, "exchanges.json")]))
        {
            File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
        }

        File.Copy(Path.Combine(OrderBookSweep.Harness.PublishedWorker.RepositoryRoot, "OrderBookSweep.Worker", "ccxt-engine", "package-lock.json"), Path.Combine(Directory, "package-lock.json"));
        var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--omit=dev"])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = npm.StandardError.ReadToEndAsync(timeout.Token);
        await npm.StandardOutput.ReadToEndAsync(timeout.Token);
        await npm.WaitForExitAsync(timeout.Token);
        Assert.True(npm.ExitCode == 0, $"npm ci failed: {await log}");
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
