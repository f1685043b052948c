using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>A host with AddExchangeEngine() exactly as the worker registers it: the real Node engine, redirected to the simulator.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly IHost _host;

    private EngineHost(IHost host) => _host = host;

    public IExchangeEngine Engine => _host.Services.GetRequiredService<IExchangeEngine>();

    internal CcxtNodeEngine NodeEngine => _host.Services.GetRequiredService<CcxtNodeEngine>();

    public static async Task<EngineHost> StartAsync(Uri simulator, IDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["Exchanges:RedirectBaseUrl"] = simulator.ToString(),
            // Tests measure behaviour, not ccxt's throttle.
            ["Exchanges:EnableRateLimit"] = "false",
            ["Exchanges:RequestTimeout"] = "00:00:20",
            ["Exchanges:CallTimeout"] = "00:00:40",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddExchangeEngine();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new EngineHost(host);
    }

    public async Task<HealthReport> CheckHealthAsync() =>
        await _host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
