using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// /{host}/{path}: the simulated exchanges' public REST endpoints. Unknown hosts and paths are 404,
/// so every other ccxt exchange fails the way it would with a broken network.
/// </summary>
internal static class ExchangeEndpoints
{
    // Exchange payloads are written with their own field names, not ASP.NET's camelCase.
    private static readonly JsonSerializerOptions Wire = new();

    public static IEndpointRouteBuilder MapSimulatedExchanges(this IEndpointRouteBuilder app)
    {
        app.Map("/{host}/{**path}", HandleAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task HandleAsync(
        HttpContext context,
        string host,
        MarketCatalog catalog,
        BookGenerator generator,
        FaultTable faults,
        SimulatorStats stats,
        RealisticConditions conditions,
        TimeProvider timeProvider,
        IOptions<SimulatorOptions> options)
    {
        // Request.Path keeps a trailing slash (bitstamp's paths end with one); route values may not.
        var path = context.Request.Path.Value![(host.Length + 1)..];
        var query = context.Request.Query;
        if (!ExchangeFormats.ByHost.TryGetValue(host, out var format) || format.Match(host.ToLowerInvariant(), path, query) is not { } request)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var tracking = stats.Track(format.Id, context.Request.Headers[SimulatorStats.WorkerHeader].FirstOrDefault());
        if (options.Value.Profile == SimulatorProfile.Realistic)
        {
            await Task.Delay(conditions.Latency(format), timeProvider, context.RequestAborted);
            if (conditions.IsOverLimit(format))
            {
                await WriteAsync(context, format.RateLimited);
                return;
            }
        }
        var fault = faults.Find(format.Id, request.Kind);
        switch (fault?.Kind)
        {
            case FaultKind.Latency:
                await Task.Delay(fault.Latency, timeProvider, context.RequestAborted);
                break;
            case FaultKind.Status:
                // A gateway-style plain-text body: ccxt then classifies by the status code alone, where an
                // exchange-shaped JSON error would be read as that exchange's own error code.
                context.Response.StatusCode = fault.StatusCode;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(options.Value.StatusFaultBody is { Length: > 0 } body ? body : ReasonPhrases.GetReasonPhrase(fault.StatusCode));
                return;
            case FaultKind.RateLimit:
                await WriteAsync(context, format.RateLimited);
                return;
            case FaultKind.Hang:
                await Task.Delay(options.Value.HangDuration, timeProvider, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Abort();
                return;
            case FaultKind.Reset:
                context.Abort();
                return;
            case FaultKind.Malformed:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"code\":\"0\",\"data\":[{\"bids\":[[\"1.0\",");
                return;
            case FaultKind.Html:
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>We'll be back soon</h1></body></html>");
                return;
        }
        var empty = fault?.Kind == FaultKind.Empty;
        var now = timeProvider.GetUtcNow();

        switch (request.Kind)
        {
            case EndpointKind.Markets:
                var markets = empty ? []
                    : request.Category is { } category ? catalog.Markets(format.Id, category)
                    : catalog.Markets(format.Id);
                await context.Response.WriteAsJsonAsync(format.Markets(request, query, markets, now), Wire);
                return;
            case EndpointKind.Currencies:
                await context.Response.WriteAsJsonAsync(format.Currencies(empty ? [] : catalog.Currencies(format.Id), now), Wire);
                return;
        }
        if (request.Category is not { } bookCategory || catalog.Find(format.Id, bookCategory, request.MarketId ?? "") is not { } market)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = $"unknown symbol '{request.MarketId}'" }, Wire);
            return;
        }
        var book = options.Value.Shape(format.Id, generator.Next(market, options.Value.DepthFor(format, market, request.Limit)));
        if (empty)
        {
            book = book with { Bids = [], Asks = [] };
        }
        else
        {
            catalog.RecordServed(book);
        }
        await context.Response.WriteAsJsonAsync(format.Book(market, book), Wire);
    }

    private static async Task WriteAsync(HttpContext context, ErrorAnswer answer)
    {
        context.Response.StatusCode = answer.StatusCode;
        await context.Response.WriteAsJsonAsync(answer.Body, Wire);
    }
}
