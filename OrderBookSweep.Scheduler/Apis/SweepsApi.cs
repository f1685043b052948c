using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrderBookSweep.Coordination;
using OrderBookSweep.Scheduler.Extensions;
using OrderBookSweep.Scheduler.Services;

namespace OrderBookSweep.Scheduler.Apis;

public static class SweepsApi
{
    public static RouteGroupBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sweeps").WithTags("Sweeps");

        api.MapGet("/", ListSweeps);
        api.MapPost("/", StartSweep).RequireApiKey().ProducesRequestBodyProblems().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/latest", GetLatestSweep);
        api.MapGet("/{sweepId:long}", GetSweep);
        api.MapDelete("/latest", CancelLatestSweep).RequireApiKey();
        api.MapDelete("/{sweepId:long}", CancelSweep).RequireApiKey();

        return api;
    }

    public static async Task<Results<Accepted<SweepStarted>, Conflict<ProblemDetails>, ValidationProblem, ProblemHttpResult>> StartSweep(
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] StartSweepRequest? request,
        [FromQuery] bool? force,
        SweepLauncher launcher,
        CancellationToken cancellationToken)
    {
        if (request?.Exchanges is { Count: > MaxExchangesPerRequest })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["exchanges"] = [$"At most {MaxExchangesPerRequest} exchange ids per sweep."],
            });
        }

        var result = await launcher.LaunchAsync(request?.Exchanges, force ?? false, cancellationToken);
        return result switch
        {
            LaunchResult.Started s => TypedResults.Accepted($"/api/sweeps/{s.SweepId}", new SweepStarted(s.SweepId, s.ExchangeCount, s.Skipped)),
            LaunchResult.Conflict c => TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "A sweep is already running",
                Detail = $"Sweep {c.RunningSweepId} is still running; wait for it, cancel it, or start with ?force=true.",
                Extensions = { ["runningSweepId"] = c.RunningSweepId },
            }),
            LaunchResult.Invalid i => TypedResults.ValidationProblem(Describe(i.Plan)),
            LaunchResult.CatalogUnavailable => TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "No exchange list yet",
                detail: "No worker has published ccxt's exchange list yet; try again once a worker is up."),
            _ => throw new InvalidOperationException($"Unexpected launch result {result}."),
        };
    }

    /// <summary>History, newest first: pass the answer's nextBefore as before for the next page.</summary>
    public static async Task<Results<Ok<SweepPage>, ValidationProblem>> ListSweeps(
        [FromQuery] long? before, [FromQuery] int? limit, SweepHistory history, CancellationToken cancellationToken)
    {
        if (before is < 1 || limit is < 1 or > MaxSweepsPerPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["query"] = [$"before is a sweep id (>= 1); limit 1..{MaxSweepsPerPage}."],
            });
        }

        return TypedResults.Ok(await history.GetPageAsync(before, limit ?? 20, cancellationToken));
    }

    public static async Task<Results<Ok<SweepStatus>, NotFound>> GetLatestSweep(SweepStore store, CancellationToken cancellationToken) =>
        await store.GetLatestSweepAsync(cancellationToken) is { } sweep ? TypedResults.Ok(sweep) : TypedResults.NotFound();

    /// <summary>
    /// One line a person reads at a glance, which the AppHost shows in the dashboard. Served at
    /// /health/sweep: polled every few seconds, and like the other probes kept out of traces.
    /// </summary>
    public static async Task<SweepSummary> GetLatestSummary(SweepStore store, CancellationToken cancellationToken) =>
        await store.GetLatestSweepAsync(cancellationToken) is { } sweep
            ? new SweepSummary(SweepMonitor.Describe(sweep), sweep.State)
            : new SweepSummary("no sweep yet", State: null);

    public static async Task<Results<Ok<SweepStatus>, NotFound>> GetSweep(long sweepId, SweepStore store, CancellationToken cancellationToken) =>
        await store.GetSweepAsync(sweepId, cancellationToken) is { } sweep ? TypedResults.Ok(sweep) : TypedResults.NotFound();

    public static async Task<Results<Accepted, NotFound>> CancelSweep(long sweepId, SweepStore store, CancellationToken cancellationToken) =>
        await store.CancelSweepAsync(sweepId, cancellationToken) ? TypedResults.Accepted($"/api/sweeps/{sweepId}") : TypedResults.NotFound();

    public static async Task<Results<Accepted, NotFound>> CancelLatestSweep(SweepStore store, CancellationToken cancellationToken) =>
        await store.GetLatestSweepAsync(cancellationToken) is { State: SweepState.Running } sweep
            ? await CancelSweep(sweep.SweepId, store, cancellationToken)
            : TypedResults.NotFound();

    private const int MaxExchangesPerRequest = 1000;
    private const int MaxSweepsPerPage = 100;

    private static Dictionary<string, string[]> Describe(SweepPlan plan)
    {
        var errors = plan.Malformed.Select(id => $"'{id}' is not a well-formed exchange id ({ExchangeIds.Rule}).")
            .Concat(plan.Unknown.Select(id => $"'{id}' is not an exchange ccxt supports."))
            .ToArray();
        return new Dictionary<string, string[]>
        {
            ["exchanges"] = errors.Length > 0 ? errors : ["The sweep would cover no exchange."],
        };
    }
}

public sealed record StartSweepRequest(IReadOnlyList<string>? Exchanges);

/// <summary>The latest sweep at a glance; <see cref="State"/> is null before the first sweep.</summary>
public sealed record SweepSummary(string Text, SweepState? State);

public sealed record SweepStarted(long SweepId, int Exchanges, IReadOnlyList<string> Skipped);
