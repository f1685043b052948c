using System.Net;
using System.Net.Http.Json;
using OrderBookSweep.ExchangeSimulator;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>The exchange simulator on a free 127.0.0.1 port, real Kestrel: ccxt talks real HTTP to it.</summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Admin = new HttpClient { BaseAddress = baseUrl };
    }

    public Uri BaseUrl { get; }

    public HttpClient Admin { get; }

    public static async Task<SimulatorServer> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddExchangeSimulator();
        var app = builder.Build();
        app.MapExchangeSimulator();
        await app.StartAsync();
        return new SimulatorServer(app, new Uri(app.Urls.Single()));
    }

    public async Task SetFaultAsync(string exchange, string endpoint, string fault)
    {
        using var response = await Admin.PutAsJsonAsync($"/admin/faults/{exchange}/{endpoint}", new { fault });
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(string exchange)
    {
        using var response = await Admin.DeleteAsync($"/admin/faults/{exchange}");
        response.EnsureSuccessStatusCode();
    }

    public async Task<ServedBook> LastServedBookAsync(string exchange, string symbol) =>
        (await Admin.GetFromJsonAsync<ServedBook>($"/admin/books/{exchange}/{Uri.EscapeDataString(symbol)}"))!;

    internal async Task<IReadOnlyList<AdminEndpoints.ListedMarket>> MarketsAsync(string exchange) =>
        (await Admin.GetFromJsonAsync<AdminEndpoints.ListedMarket[]>($"/admin/markets/{exchange}"))!;

    public async Task<Stats> StatsAsync() => (await Admin.GetFromJsonAsync<Stats>("/admin/stats"))!;

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record ServedBook(string Symbol, decimal[][] Bids, decimal[][] Asks);

    public sealed record Stats(Dictionary<string, long> RequestsPerExchange, int MaxDistinctExchangesInFlight, Dictionary<string, int> InFlightPerExchange);
}
