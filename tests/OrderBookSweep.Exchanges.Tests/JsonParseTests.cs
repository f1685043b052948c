namespace OrderBookSweep.Exchanges.Tests;

/// <summary>
/// The engine parses exchange responses with its own JSON parser (ccxt-engine/json-parse.js), not
/// V8's JSON.parse: it must give the same value, or the same error, for every text.
/// </summary>
public sealed class JsonParseTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(20261202)]
    public async Task The_engine_parses_every_text_as_JSON_parse_does_and_ccxt_answers_alike(int seed)
    {
        var engineDirectory = Path.Combine(AppContext.BaseDirectory, "ccxt-engine");

        // Hand-written edge cases, then 3,000 random documents, each also cut short and with one
        // character changed; and ccxt's parseJson with the engine's parser in place.
        using var result = await NodeScript.RunAsync("json-parse.js", [engineDirectory, seed.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Empty(result.RootElement.GetProperty("differences").EnumerateArray().Select(d => d.GetString()));
        Assert.InRange(result.RootElement.GetProperty("texts").GetInt32(), 9_000, 10_000);
        // Both kinds are there: thousands of texts JSON.parse refuses, and thousands it takes.
        Assert.InRange(result.RootElement.GetProperty("invalid").GetInt32(), 3_000, 6_000);
    }
}
