namespace OrderBookSweep.ExchangeSimulator;

/// <summary>/admin: faults at run time, the simulator's stats, and the books it served.</summary>
internal static class AdminEndpoints
{
    public sealed record FaultRequest(string Fault);

    public sealed record UnifiedBook(string Symbol, decimal[][] Bids, decimal[][] Asks, long Sequence, DateTimeOffset Time);

    public static IEndpointRouteBuilder MapSimulatorAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapGet("/exchanges", () => ExchangeFormats.All.Select(f => f.Id));
        admin.MapGet("/faults", (FaultTable faults) => faults.Snapshot());
        admin.MapPut("/faults/{exchange}", (string exchange, FaultRequest request, FaultTable faults) =>
            SetFault(exchange, FaultTable.AnyEndpoint, request, faults));
        admin.MapPut("/faults/{exchange}/{endpoint}", (string exchange, string endpoint, FaultRequest request, FaultTable faults) =>
            SetFault(exchange, endpoint, request, faults));
        admin.MapDelete("/faults/{exchange}", (string exchange, FaultTable faults) =>
        {
            faults.ClearAll(exchange);
            return Results.NoContent();
        });
        admin.MapDelete("/faults/{exchange}/{endpoint}", (string exchange, string endpoint, FaultTable faults) =>
        {
            faults.Clear(exchange, endpoint);
            return Results.NoContent();
        });
        admin.MapGet("/stats", (SimulatorStats stats) => stats.Snapshot());
        admin.MapPost("/stats/reset", (SimulatorStats stats) =>
        {
            stats.Reset();
            return Results.NoContent();
        });
        // {**symbol}: "BTC%2FUSDT" and "BTC/USDT" both reach here.
        admin.MapGet("/books/{exchange}/{**symbol}", (string exchange, string symbol, MarketCatalog catalog) =>
            catalog.LastServed(exchange.ToLowerInvariant(), Uri.UnescapeDataString(symbol)) is { } book
                ? Results.Ok(new UnifiedBook(book.Symbol,
                    book.Bids.Select(l => new[] { l.Price, l.Amount }).ToArray(),
                    book.Asks.Select(l => new[] { l.Price, l.Amount }).ToArray(),
                    book.Sequence, book.Time))
                : Results.NotFound());
        return app;
    }

    private static IResult SetFault(string exchange, string endpoint, FaultRequest request, FaultTable faults)
    {
        if (!ExchangeFormats.Ids.Contains(exchange))
        {
            return Results.NotFound($"'{exchange}' is not simulated");
        }
        if (!FaultTable.IsEndpoint(endpoint) || !Fault.TryParse(request.Fault, out var fault))
        {
            return Results.BadRequest($"endpoint must be one of {string.Join(", ", FaultTable.Endpoints)}; fault one of {Fault.Syntax}");
        }
        faults.Set(exchange, endpoint, fault);
        return Results.NoContent();
    }
}
