using Microsoft.AspNetCore.Http.HttpResults;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Scheduler.Apis;

public static class OrderBooksApi
{
    public static RouteGroupBuilder MapOrderBooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orderbooks").WithTags("Order books");

        api.MapGet("/stream", StreamBooks);
        // Catch-all: a symbol arrives URL-encoded (BTC%2FUSDT) or, from some clients, as BTC/USDT.
        api.MapGet("/{exchange}/{**symbol}", GetBook);

        return api;
    }

    public static async Task<Results<Ok<BookSnapshot>, NotFound, ValidationProblem>> GetBook(
        string exchange, string symbol, ResultStore results, CancellationToken cancellationToken)
    {
        // Kestrel leaves %2F encoded inside a path segment.
        symbol = Uri.UnescapeDataString(symbol ?? "");
        if (!ExchangeId.IsWellFormed(exchange) || symbol.Length is 0 or > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["book"] = ["Use /api/orderbooks/{exchange}/{symbol}, e.g. /api/orderbooks/binance/BTC%2FUSDT."],
            });
        }

        return await results.GetBookAsync(exchange, symbol, cancellationToken) is { } book
            ? TypedResults.Ok(book)
            : TypedResults.NotFound();
    }

    /// <summary>Server-sent events, one "book" event per published book (its key, not the book).</summary>
    public static ServerSentEventsResult<BookNotification> StreamBooks(ResultStore results, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(results.SubscribeBooksAsync(cancellationToken), eventType: "book");
}
