using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Scheduler.Apis;

public static class OrderBooksApi
{
    public static RouteGroupBuilder MapOrderBooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orderbooks").WithTags("Order books");

        api.MapGet("/stream", StreamBooks).Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        // Literal segments outrank the catch-all below; no ccxt exchange is called "exchanges".
        api.MapGet("/exchanges", GetExchanges);
        api.MapGet("/exchanges/{exchange}", GetSymbols);
        // Catch-all: a symbol arrives URL-encoded (BTC%2FUSDT) or, from some clients, as BTC/USDT.
        api.MapGet("/{exchange}/{**symbol}", GetBook);

        return api;
    }

    public static async Task<Results<Ok<BookSnapshot>, NotFound, ValidationProblem>> GetBook(
        string exchange, string symbol, ResultStore results, CancellationToken cancellationToken)
    {
        // Kestrel leaves %2F encoded inside a path segment.
        symbol = Uri.UnescapeDataString(symbol ?? "");
        if (!ExchangeIds.IsWellFormed(exchange) || symbol.Length is 0 or > 200)
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

    /// <summary>The exchanges that have stored books, from the index the writers keep.</summary>
    public static async Task<Ok<IReadOnlyList<IndexedExchange>>> GetExchanges(BookIndex index, CancellationToken cancellationToken) =>
        TypedResults.Ok(await index.GetExchangesAsync(cancellationToken));

    /// <summary>One exchange's symbols with a stored book, those containing <paramref name="search"/> if given.</summary>
    public static async Task<Results<Ok<SymbolPage>, ValidationProblem>> GetSymbols(
        string exchange, [FromQuery] string? search, [FromQuery] int? limit, BookIndex index, CancellationToken cancellationToken)
    {
        if (!ExchangeIds.IsWellFormed(exchange) || search is { Length: > 200 } || limit is < 1 or > MaxSymbolsPerPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["query"] = [$"exchange: {ExchangeIds.Rule}; search up to 200 characters; limit 1..{MaxSymbolsPerPage}."],
            });
        }

        return TypedResults.Ok(await index.GetSymbolsAsync(exchange, search, limit ?? 100, cancellationToken));
    }

    /// <summary>
    /// Server-sent events, one "book" event (its exchange, symbol, sweep and key, not the book)
    /// per published book, only those of one exchange (and symbol) when asked. The headers go out at once, so a client knows it is subscribed
    /// before the first book arrives.
    /// </summary>
    public static async Task StreamBooks(
        HttpContext context, [FromQuery] string? exchange, [FromQuery] string? symbol, ResultStore results, CancellationToken cancellationToken)
    {
        var books = await results.SubscribeBooksAsync(cancellationToken);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
        await SseFormatter.WriteAsync(
            books.Where(book => (exchange is null || book.Exchange == exchange) && (symbol is null || book.Symbol == symbol))
                .Select(book => new SseItem<BookNotification>(book, "book")),
            context.Response.Body,
            (item, writer) =>
            {
                using var json = new Utf8JsonWriter(writer);
                JsonSerializer.Serialize(json, item.Data, BookJson);
            },
            cancellationToken);
    }

    private const int MaxSymbolsPerPage = 1000;

    private static readonly JsonSerializerOptions BookJson = new(JsonSerializerDefaults.Web);
}
