using System.Diagnostics;
using System.Reflection;
using OrderBookSweep.EmbeddedRedis;
using OrderBookSweep.Harness;

namespace OrderBookSweep.SeamBenchmark;

/// <summary>The exchange simulator in its own process on a free port (100-level books, 20 symbols per exchange).</summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SimulatorProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>CPU time the simulator has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<SimulatorProcess> StartAsync()
    {
        var assembly = typeof(SimulatorProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SimulatorAssembly").Value!;
        var baseUrl = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var startInfo = new ProcessStartInfo("dotnet") { ArgumentList = { assembly }, UseShellExecute = false, RedirectStandardOutput = true };
        startInfo.Environment["ASPNETCORE_URLS"] = baseUrl.ToString();
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        startInfo.Environment["Simulator__Depth"] = "100";
        var process = Process.Start(startInfo)!;
        _ = process.StandardOutput.ReadToEndAsync();
        using var client = new HttpClient { BaseAddress = baseUrl };
        // Connection refused until it listens.
        return await Eventually.TryUntilAsync(
            async () => (await client.GetAsync("/admin/exchanges")).IsSuccessStatusCode, TimeSpan.FromSeconds(10), e => e is HttpRequestException)
            ? new SimulatorProcess(process, baseUrl)
            : throw new TimeoutException($"The simulator at {baseUrl} did not answer within 10 s.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
