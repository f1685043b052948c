using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace SeamBenchmark;

/// <summary>The exchange simulator in its own process on a free port (100-level books, 20 symbols per exchange).</summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process process;

    private SimulatorProcess(Process process, Uri baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>CPU time the simulator has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public static async Task<SimulatorProcess> StartAsync()
    {
        var assembly = typeof(SimulatorProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SimulatorAssembly").Value!;
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var startInfo = new ProcessStartInfo("dotnet") { ArgumentList = { assembly }, UseShellExecute = false, RedirectStandardOutput = true };
        startInfo.Environment["ASPNETCORE_URLS"] = baseUrl.ToString();
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        startInfo.Environment["Simulator__Depth"] = "100";
        var process = Process.Start(startInfo)!;
        _ = process.StandardOutput.ReadToEndAsync();
        using var client = new HttpClient { BaseAddress = baseUrl };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                (await client.GetAsync("/admin/exchanges")).EnsureSuccessStatusCode();
                return new SimulatorProcess(process, baseUrl);
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
