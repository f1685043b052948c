using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.SeamBenchmark;

/// <summary>The same work through the C# seam, registered as the worker registers it (AddExchangeEngine).</summary>
internal sealed class SeamRun : IAsyncDisposable
{
    private readonly IHost _host;

    private SeamRun(IHost host) => _host = host;

    private IExchangeEngine Engine => _host.Services.GetRequiredService<IExchangeEngine>();

    public static async Task<SeamRun> StartAsync(Uri simulator)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exchanges:RedirectBaseUrl"] = simulator.ToString(),
            ["Exchanges:EnableRateLimit"] = "false",
            ["Exchanges:MarketTypes:0"] = "spot",
        });
        builder.AddExchangeEngine();
        var host = builder.Build();
        await host.StartAsync();
        return new SeamRun(host);
    }

    public async Task<Throughput> RunAsync(TimeSpan duration, int inFlight, IReadOnlyList<string> exchanges)
    {
        var sessions = await Task.WhenAll(exchanges.Select(e => Engine.CreateExchangeAsync(e, CancellationToken.None)));
        var symbols = await Task.WhenAll(sessions.Select(s => s.LoadMarketsAsync(CancellationToken.None)));
        long books = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(sessions.SelectMany((session, n) => Enumerable.Range(0, inFlight).Select(async lane =>
        {
            for (var i = lane; watch.Elapsed < duration; i += inFlight)
            {
                await session.FetchOrderBookAsync(symbols[n][i % symbols[n].Count], 100, CancellationToken.None);
                Interlocked.Increment(ref books);
            }
        })));
        var elapsed = watch.Elapsed;
        foreach (var session in sessions)
        {
            await session.DisposeAsync();
        }
        return new Throughput(books, elapsed);
    }

    /// <summary>One engine round trip without ccxt work: the protocol's own cost.</summary>
    public async Task<double> PingMicrosecondsAsync(int calls)
    {
        var engine = _host.Services.GetRequiredService<CcxtNodeEngine>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            await engine.PingAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        return watch.Elapsed.TotalMicroseconds / calls;
    }

    /// <summary>CPU time used so far by this process (the worker side) and by its Node engine.</summary>
    public (TimeSpan Worker, TimeSpan Engine) CpuTime()
    {
        var engine = _host.Services.GetRequiredService<CcxtNodeEngine>().CurrentProcess!;
        using var self = Process.GetCurrentProcess();
        using var node = Process.GetProcessById(engine.Id);
        return (self.TotalProcessorTime, node.TotalProcessorTime);
    }

    /// <summary>Resident memory of this process (the worker side) and of its Node engine, in MiB.</summary>
    public (double Worker, double Engine) MemoryMiB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var engine = _host.Services.GetRequiredService<CcxtNodeEngine>().CurrentProcess!;
        using var self = Process.GetCurrentProcess();
        using var node = Process.GetProcessById(engine.Id);
        return (self.WorkingSet64 / 1048576.0, node.WorkingSet64 / 1048576.0);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
