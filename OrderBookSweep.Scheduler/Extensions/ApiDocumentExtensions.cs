using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace OrderBookSweep.Scheduler.Extensions;

/// <summary>
/// The API described as OpenAPI at <c>/openapi/v1.json</c>, from the endpoints' own metadata
/// (their typed results, tags and <c>Produces</c> notes), and under <c>dotnet run</c> (the
/// Development environment) an interactive reference at <c>/scalar</c>.
/// </summary>
public static class ApiDocumentExtensions
{
    private const string ProblemJson = "application/problem+json";

    public static void AddApiDocuments(this IHostApplicationBuilder builder) =>
        builder.Services.AddOpenApi(options => options.AddOperationTransformer(DescribeProblemsAsync));

    public static WebApplication MapApiDocuments(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }

    /// <summary>The problems of an endpoint that reads a JSON body: too large (over 64 KiB) and not JSON.</summary>
    public static RouteHandlerBuilder ProducesRequestBodyProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>
    /// Every error answer is a problem (application/problem+json): the handlers return problems,
    /// and the status-code pages write one for an error answered without a body (a bare 404).
    /// Every operation may answer 500, among others when a key this service owns holds data it
    /// did not write ("Unreadable data in Redis").
    /// </summary>
    private static async Task DescribeProblemsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd("500", new OpenApiResponse { Description = "Internal Server Error" });
        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        foreach (var (status, response) in operation.Responses)
        {
            if (status[0] is not ('4' or '5') || response is not OpenApiResponse error)
            {
                continue;
            }

            if (error.Content is null or { Count: 0 })
            {
                error.Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = problem } };
            }
            else if (error.Content.Remove("application/json", out var json))
            {
                // A typed result carrying ProblemDetails (Conflict<ProblemDetails>) is described as
                // JSON, but is written as a problem.
                error.Content[ProblemJson] = json;
            }
        }
    }
}
