using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.Scheduler.Apis;

/// <summary>
/// Guards mutating endpoints with the <c>X-Api-Key</c> header when <c>Scheduler:ApiKey</c> is
/// set. Compared in constant time; the key is never logged.
/// </summary>
public static class ApiKeyFilter
{
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"])).AddEndpointFilter(async (context, next) =>
        {
            var expected = context.HttpContext.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value.ApiKey;
            if (string.IsNullOrEmpty(expected))
            {
                return await next(context);
            }

            var given = context.HttpContext.Request.Headers[ApiKeyOptions.HeaderName].ToString();
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))
                ? await next(context)
                : TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Missing or wrong API key",
                    detail: $"This endpoint changes state; send the scheduler's key in the {ApiKeyOptions.HeaderName} header.");
        });
}
