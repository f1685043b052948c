using System.Net;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>
/// In Kubernetes the scheduler's API key arrives as ConnectionStrings__scheduler-api-key (the only
/// kind of name aspirate keeps in a Secret): the built scheduler, started with exactly the env the
/// manifest gives it, must guard its mutating endpoints with that key.
/// </summary>
public sealed class SchedulerApiKeyTests
{
    [Fact]
    public async Task Key_from_the_connection_string_guards_mutating_endpoints()
    {
        const string key = "deployment-test-key";
        using var redis = EmbeddedGarnetServer.Start(password: "deployment-test");
        await using var scheduler = RunningService.Start(Repository.BuiltAssembly("OrderBookSweep.Scheduler"), new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = redis.ConnectionString,
            ["ConnectionStrings__scheduler-api-key"] = key,
        });
        await scheduler.WaitForOkAsync("/alive", TimeSpan.FromSeconds(60));

        using var withoutKey = await scheduler.Http.PostAsync("/api/schedule/pause", null);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);

        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "/api/schedule/pause") { Headers = { { "X-Api-Key", "not-the-key" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await scheduler.Http.SendAsync(wrongKey)).StatusCode);

        using var withKey = new HttpRequestMessage(HttpMethod.Post, "/api/schedule/pause") { Headers = { { "X-Api-Key", key } } };
        Assert.Equal(HttpStatusCode.NoContent, (await scheduler.Http.SendAsync(withKey)).StatusCode);
    }
}
