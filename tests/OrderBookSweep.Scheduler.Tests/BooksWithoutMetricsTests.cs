using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>
/// A book stored without market or metrics, as a worker with <c>Metrics:Enabled=false</c> stores it
/// (Worker.Tests shows it does) and as books stored before metrics were: the API serves it, and the
/// markets API lists no venue for it.
/// </summary>
public sealed class BooksWithoutMetricsTests
{
    [Fact]
    public async Task The_book_api_serves_it_with_market_and_metrics_null_and_no_market_lists_it()
    {
        using var app = new SchedulerApp();
        using var configured = app.WithWebHostBuilder(builder => builder.UseSetting("Sweep:Interval", "0"));
        using var http = configured.CreateClient();
        var services = configured.Services;
        await services.GetRequiredService<SweepStore>().StartSweepAsync(["binance"], force: false, null, null, default);
        var lease = await services.GetRequiredService<JobQueue>().ClaimAsync("worker-1", default);
        var book = new BookSnapshot("binance", "BTC/USDT", [new(100.5, 2)], [new(101, 1)], 1_700_000_000_000, null, null,
            lease.Job.SweepId, "worker-1", DateTimeOffset.UtcNow);
        Assert.True(await services.GetRequiredService<ResultStore>().PublishBookAsync(lease, book, default));

        using var response = await http.GetAsync("/api/orderbooks/binance/BTC%2FUSDT");
        using var markets = await http.GetAsync("/api/markets/BTC%2FUSDT");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, served.RootElement.GetProperty("market").ValueKind);
        Assert.Equal(JsonValueKind.Null, served.RootElement.GetProperty("metrics").ValueKind);
        Assert.Equal("[[100.5,2]]", served.RootElement.GetProperty("bids").GetRawText());
        Assert.Equal(lease.Job.SweepId, served.RootElement.GetProperty("sweepId").GetInt64());
        Assert.Equal(HttpStatusCode.OK, markets.StatusCode);
        using var venues = JsonDocument.Parse(await markets.Content.ReadAsStringAsync());
        Assert.Equal(0, venues.RootElement.GetProperty("venues").GetArrayLength());
    }
}
