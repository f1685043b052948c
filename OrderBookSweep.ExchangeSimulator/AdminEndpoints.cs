namespace OrderBookSweep.ExchangeSimulator;

/// <summary>/admin: faults at run time, the simulator's stats, and the books it served.</summary>
internal static class AdminEndpoints
{
    public sealed record FaultRequest(string Fault);

    public sealed record UnifiedBook(string Symbol, decimal[][] Bids, decimal[][] Asks, long Sequence, DateTimeOffset Time);

    /// <summary>
    /// A listed market as ccxt should parse it (type and margin in ccxt's lower-case words, expiry in
    /// Unix ms), with the price its books are centred on and their tick.
    /// </summary>
    public sealed record ListedMarket(string Category, string Id, string Symbol, string Base, string Quote, string? Settle,
        string Type, bool? Linear, bool? Inverse, decimal? ContractSize, long? Expiry, decimal? Strike, string? OptionType,
        double FairPrice, decimal TickSize)
    {
        public static ListedMarket From(SimulatedMarket m) => new(m.Category, m.Id, m.Symbol, m.Base, m.Quote, m.Settle,
            m.Type.ToString().ToLowerInvariant(),
            m.IsContract ? m.Margin == Margin.Linear : null,
            m.IsContract ? m.Margin == Margin.Inverse : null,
            m.ContractSize, m.Expiry?.ToUnixTimeMilliseconds(), m.Strike, m.OptionType?.ToString().ToLowerInvariant(),
            m.FairPrice, new decimal(1, 0, 0, false, (byte)m.PriceDecimals));
    }

    public static IEndpointRouteBuilder MapSimulatorAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapGet("/exchanges", () => ExchangeFormats.All.Select(f => f.Id));
        admin.MapGet("/markets/{exchange}", (string exchange, MarketCatalog catalog) =>
            ExchangeFormats.ById.TryGetValue(exchange, out var format)
                ? Results.Ok(catalog.Markets(format.Id).Select(ListedMarket.From))
                : Results.NotFound($"'{exchange}' is not simulated"));
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
