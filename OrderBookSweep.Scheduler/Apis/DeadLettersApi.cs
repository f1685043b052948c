using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrderBookSweep.Coordination;
using OrderBookSweep.Scheduler.Extensions;

namespace OrderBookSweep.Scheduler.Apis;

/// <summary>The dead-letter list: read it, requeue one or a whole error class, discard one.</summary>
public static class DeadLettersApi
{
    private const int MaxPageSize = 200;
    private const int MaxErrorClassLength = 100;

    public static RouteGroupBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deadletters").WithTags("Dead letters");

        api.MapGet("/", GetDeadLetters);
        api.MapPost("/requeue", RequeueClass).RequireApiKey().ProducesRequestBodyProblems();
        api.MapPost("/{sweepId:long}/{exchange}/requeue", Requeue).RequireApiKey();
        api.MapDelete("/{sweepId:long}/{exchange}", Discard).RequireApiKey();

        return api;
    }

    public static async Task<Results<Ok<DeadLetterPage>, ValidationProblem>> GetDeadLetters(
        [FromQuery] string? errorClass, [FromQuery] int? offset, [FromQuery] int? limit, DeadLetterStore store, CancellationToken cancellationToken)
    {
        if (offset is < 0 || limit is < 1 or > MaxPageSize || errorClass is { Length: 0 or > MaxErrorClassLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["query"] = [$"offset >= 0, limit 1..{MaxPageSize}, errorClass 1..{MaxErrorClassLength} characters."],
            });
        }

        return TypedResults.Ok(await store.GetPageAsync(errorClass, offset ?? 0, limit ?? 50, cancellationToken));
    }

    public static async Task<Results<Ok<RequeueAttempt>, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ValidationProblem>> Requeue(
        long sweepId, string exchange, DeadLetterStore store, CancellationToken cancellationToken)
    {
        if (!ExchangeIds.IsWellFormed(exchange))
        {
            return InvalidExchange();
        }

        var result = await store.RequeueAsync(sweepId, exchange, cancellationToken);
        return result switch
        {
            RequeueResult.Requeued => TypedResults.Ok(new RequeueAttempt(sweepId, exchange, result)),
            RequeueResult.NotFound => TypedResults.NotFound(Problem(StatusCodes.Status404NotFound, "No such dead letter",
                $"No dead letter of {exchange} in sweep {sweepId}: it was requeued or discarded already.")),
            RequeueResult.SweepGone => TypedResults.Conflict(Problem(StatusCodes.Status409Conflict, "The sweep cannot take it back",
                $"Sweep {sweepId} expired or was cancelled; start a new sweep of {exchange} instead, and discard this dead letter.")),
            _ => TypedResults.Conflict(Problem(StatusCodes.Status409Conflict, "The exchange is busy",
                $"{exchange} is queued or being swept right now; requeue it after that job ends.")),
        };
    }

    public static async Task<Results<Ok<RequeueClassResult>, ValidationProblem>> RequeueClass(
        RequeueClassRequest request, DeadLetterStore store, CancellationToken cancellationToken)
    {
        if (request.ErrorClass is not { Length: > 0 and <= MaxErrorClassLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["errorClass"] = [$"The ccxt error class to requeue, 1..{MaxErrorClassLength} characters."],
            });
        }

        var attempts = await store.RequeueClassAsync(request.ErrorClass, cancellationToken);
        return TypedResults.Ok(new RequeueClassResult(attempts.Count(a => a.Result == RequeueResult.Requeued), attempts));
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> Discard(
        long sweepId, string exchange, DeadLetterStore store, CancellationToken cancellationToken)
    {
        if (!ExchangeIds.IsWellFormed(exchange))
        {
            return InvalidExchange();
        }

        return await store.DiscardAsync(sweepId, exchange, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static ValidationProblem InvalidExchange() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["exchange"] = [$"An exchange id: {ExchangeIds.Rule}."] });

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}

public sealed record RequeueClassRequest(string? ErrorClass);

public sealed record RequeueClassResult(int Requeued, IReadOnlyList<RequeueAttempt> Attempts);
