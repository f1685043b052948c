using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// Bad input to the running system (requests, foreign data under its Redis keys) is answered
/// with a clear error, and the system goes on working: afterwards a sweep still reaches an
/// outcome for every exchange. Shares one boot with <see cref="SecurityTests"/>; about 30 s.
/// </summary>
[Collection(RunningSystem.Collection)]
public sealed class ApiInputTests(RunningSystem fixture)
{
    private const string Problem = "application/problem+json";

    private HttpClient Scheduler => fixture.System.Scheduler;

    [Theory]
    [InlineData("""{"exchanges":["binance","not_an_exchange"]}""", "not_an_exchange")]
    [InlineData("""{"exchanges":["Binance!"]}""", "Binance!")]
    [InlineData("""{"exchanges":["../../etc/passwd"]}""", "../../etc/passwd")]
    [InlineData("""{"exchanges":[""]}""", "exchanges")]
    public async Task Unknown_or_malformed_exchange_ids_are_a_400_that_names_them(string body, string named)
    {
        using var response = await PostSweepAsync(new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, named);
    }

    [Theory]
    [InlineData("""{"exchanges":["binance""")]
    [InlineData("""{"exchanges":"binance"}""")]
    [InlineData("""{"exchanges":[1,2]}""")]
    [InlineData("""[]""")]
    [InlineData("""not json at all""")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        using var response = await PostSweepAsync(new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_problem()
    {
        var ids = string.Join(",", Enumerable.Repeat("\"binance\"", 20_000));
        using var response = await PostSweepAsync(new StringContent($$"""{"exchanges":[{{ids}}]}""", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task A_wrong_content_type_is_a_415_problem(string contentType)
    {
        using var response = await PostSweepAsync(new StringContent("""{"exchanges":["binance"]}""", Encoding.UTF8, contentType));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("/api/orderbooks/NOT-AN-ID/BTC%2FUSDT", HttpStatusCode.BadRequest)]
    [InlineData("/api/sweeps/not-a-number", HttpStatusCode.NotFound)]
    [InlineData("/api/sweeps/99999999", HttpStatusCode.NotFound)]
    public async Task Bad_paths_are_answered_not_crashed_on(string path, HttpStatusCode expected)
    {
        using var response = await Scheduler.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>
    /// Someone else's values under the system's keys: each read that meets one answers a problem
    /// (never a crash), and the keys around it stay intact.
    /// </summary>
    [Fact]
    public async Task Foreign_data_under_the_system_keys_is_a_clear_error_and_damages_nothing_else()
    {
        using var redis = await fixture.System.ConnectRedisAsync();
        var db = redis.GetDatabase();
        var done = await fixture.System.WaitForSweepAsync(await fixture.System.StartSweepAsync("binance", "okx"), TimeSpan.FromMinutes(1));
        Assert.Equal(SweepState.Completed, done.State);

        // A string where a hash is expected, garbage where JSON is expected, a hash where a string is.
        var keys = new CoordinationKeys(CoordinationKeys.DefaultPrefix);
        await db.StringSetAsync(keys.Sweep(424242), "not a hash");
        await db.StringSetAsync(keys.Book("binance", "FOREIGN/JSON"), "{not json");
        await db.HashSetAsync(keys.Book("binance", "FOREIGN/TYPE"), "not", "a string");
        foreach (var path in new[] { "/api/sweeps/424242", "/api/orderbooks/binance/FOREIGN%2FJSON", "/api/orderbooks/binance/FOREIGN%2FTYPE" })
        {
            using var response = await Scheduler.GetAsync(path);
            await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "Unreadable data in Redis");
        }

        // Garbage job ids in the queue: the workers must skip them, not die on them.
        await db.ListRightPushAsync(keys.Queue, ["not-a-job", "42|", "|binance", "0|kraken", "7|NOT AN ID"]);

        // What was there before is untouched, and the system still sweeps.
        Assert.Equal(SweepState.Completed, (await fixture.System.WaitForSweepAsync(done.SweepId, TimeSpan.FromSeconds(5))).State);
        var sweep = await fixture.System.WaitForSweepAsync(await fixture.System.StartSweepAsync("binance", "kraken", "okx"), TimeSpan.FromMinutes(1));
        Assert.Equal(SweepState.Completed, sweep.State);
        Assert.All(sweep.Outcomes.Values, o => Assert.Equal(ExchangeOutcomeKind.Succeeded, o.Outcome));
        using var health = await Scheduler.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>After all the bad input, a valid request works: nothing was lost or left stuck.</summary>
    [Fact]
    public async Task A_valid_sweep_after_bad_input_reaches_an_outcome_for_every_exchange()
    {
        using (await PostSweepAsync(new StringContent("""{"exchanges":["binance""", Encoding.UTF8, "application/json")))
        using (await PostSweepAsync(new StringContent("x", Encoding.UTF8, "text/plain")))
        {
        }

        var sweep = await fixture.System.WaitForSweepAsync(await fixture.System.StartSweepAsync("bitstamp", "kucoin"), TimeSpan.FromMinutes(1));

        Assert.Equal(SweepState.Completed, sweep.State);
        Assert.Equal(["bitstamp", "kucoin"], sweep.Outcomes.Keys.Order());
    }

    private Task<HttpResponseMessage> PostSweepAsync(HttpContent content) => Scheduler.PostAsync("/api/sweeps", content);

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? named = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(Problem, response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        if (named is not null)
        {
            Assert.Contains(named, body, StringComparison.Ordinal);
        }
    }
}
