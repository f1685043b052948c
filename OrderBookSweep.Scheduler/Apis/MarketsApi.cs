using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Scheduler.Apis;

/// <summary>One symbol, or one base currency, compared across every exchange with a stored book of it (docs/metrics.md).</summary>
public static class MarketsApi
{
    public static RouteGroupBuilder MapMarketsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/markets").WithTags("Markets");

        api.MapGet("/", GetBase);
        // Catch-all: a symbol arrives URL-encoded (BTC%2FUSDT) or, from some clients, as BTC/USDT.
        api.MapGet("/{**symbol}", GetSymbol);

        return api;
    }

    /// <summary>Every venue's metrics for one symbol, ordered by <paramref name="sort"/>.</summary>
    public static async Task<Results<Ok<MarketVenues>, ValidationProblem>> GetSymbol(
        string symbol, [FromQuery] string? sort, MarketIndex index, CancellationToken cancellationToken)
    {
        // Kestrel leaves %2F encoded inside a path segment.
        symbol = Uri.UnescapeDataString(symbol ?? "");
        if (symbol.Length is 0 or > 200 || symbol.Any(char.IsControl) || !VenueOrder.TryParse(sort, out var order))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["market"] = [$"Use /api/markets/{{symbol}}, e.g. /api/markets/BTC%2FUSDT?sort=spreadBps; {VenueOrder.Rule}"],
            });
        }

        var market = await index.GetVenuesAsync(symbol, cancellationToken);
        return TypedResults.Ok(market with { Venues = order.Sort(market.Venues) });
    }

    /// <summary>Every symbol of one base (of some quotes and a market type), with the consolidated view.</summary>
    public static async Task<Results<Ok<BaseMarkets>, ValidationProblem>> GetBase(
        [FromQuery(Name = "base")] string? @base,
        [FromQuery] string? quote,
        [FromQuery] string? type,
        [FromQuery] string? sort,
        MarketIndex index,
        IOptions<MetricsOptions> options,
        CancellationToken cancellationToken)
    {
        var quotes = (quote ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var typeKnown = StoredName<MarketType>.TryParse(type ?? "", out var parsed);
        MarketType? marketType = typeKnown ? parsed : null;
        if (!MarketInfo.IsCurrency(@base) || quotes.Length > 20 || !quotes.All(MarketInfo.IsCurrency)
            || !(typeKnown || string.IsNullOrEmpty(type)) || !VenueOrder.TryParse(sort, out var order))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["query"] = [$"Use /api/markets?base=BTC&quote=USDT,USDC&type=spot: base a currency code; quote up to 20 of them, comma-separated; type spot, swap, future or option; {VenueOrder.Rule}"],
            });
        }

        var (symbols, truncated) = await index.GetBaseAsync(@base, quotes, marketType, cancellationToken);
        return TypedResults.Ok(new BaseMarkets(
            @base,
            quotes,
            marketType,
            [.. symbols.Select(s => s with { Venues = order.Sort(s.Venues) })],
            ConsolidatedMarket.Of(symbols, options.Value.StaleAfter),
            truncated));
    }
}

/// <summary>The answer for one base: its symbols' venues, and those venues read as one market.</summary>
/// <param name="Truncated">More than <see cref="MarketIndex.MaxSymbols"/> symbols matched: the first ones by name are here.</param>
public sealed record BaseMarkets(
    string Base,
    IReadOnlyList<string> Quotes,
    MarketType? Type,
    IReadOnlyList<MarketVenues> Symbols,
    ConsolidatedMarket Consolidated,
    bool Truncated);
