using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using OrderBookSweep.Coordination;
using OrderBookSweep.Worker.Exchanges;
using OrderBookSweep.Worker.Sweeping;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>
/// A level's numbers are ccxt's doubles from the engine's packed answer to the API: a JavaScript
/// reader gets back the very number ccxt held, written with the digits JavaScript prints for it.
/// </summary>
public sealed class LevelNumberTests
{
    // Bids then asks, price then amount, as JavaScript literals: exchange-like prices and amounts,
    // 16 and 17 significant digits, the smallest and largest doubles, and the numbers around the
    // points where .NET (1E-05, 1E+15) and JavaScript (1e-7, 1e+21) switch to exponents.
    private static readonly string[] Held =
    [
        "43251.37", "0.00012345", "0.00001234", "12345678",
        "123456789.12345678", "0.30000000000000004", "1e-8", "100",
        "5e-324", "2.2250738585072014e-308", "1.7976931348623157e+308", "1e+21",
        "0.000001", "1e-7", "123456789012345680000", "999999999999999.9",
        "1000000000000000", "9007199254740993", "0.1", "1234567.000001",
    ];

    [Fact]
    public async Task A_number_ccxt_holds_comes_out_of_the_api_as_the_same_number_with_the_digits_javascript_prints()
    {
        var book = Parse(Held.Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray());
        var snapshot = SweepWorker.ToSnapshot(new SweepJob(1, "binance", 1, DateTimeOffset.UtcNow, null, null), book, "worker-1", OrderBookSweep.Coordination.Metrics.MetricBands.Default);
        // As the scheduler's API writes it.
        var served = JsonSerializer.Serialize(snapshot, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        using var reader = await NodeScript.RunAsync("level-numbers.js", [served, JsonSerializer.Serialize(Held)]);

        var same = reader.RootElement.GetProperty("same").EnumerateArray().Select(s => s.GetBoolean()).ToArray();
        Assert.True(same.All(s => s), $"read back as another number: {string.Join(", ", Held.Where((_, i) => !same[i]))}");
        using var api = JsonDocument.Parse(served);
        var written = new[] { "bids", "asks" }
            .SelectMany(side => api.RootElement.GetProperty(side).EnumerateArray())
            .SelectMany(level => level.EnumerateArray().Select(n => n.GetRawText()));
        // Only the spelling of an exponent differs: 1E-08 against 1e-8.
        Assert.Equal(reader.RootElement.GetProperty("printed").EnumerateArray().Select(p => Significant(p.GetString()!)), written.Select(Significant));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_level_that_is_not_finite_is_a_malformed_book(double value)
    {
        var error = Assert.Throws<ExchangeException>(() => Parse([100, 1, 101, value]));

        Assert.Equal(("MalformedOrderBook", false), (error.ErrorClass, error.IsRetryable));
    }

    /// <summary>The book from a fetchOrderBook answer as engine.js packs it, half the levels bids.</summary>
    private static OrderBook Parse(double[] pairs)
    {
        var levels = Convert.ToBase64String(MemoryMarshal.AsBytes(pairs.AsSpan()));
        using var answer = JsonDocument.Parse(
            $$"""{"symbol":"BTC/USDT","bidCount":{{pairs.Length / 4}},"levels":"{{levels}}","timestamp":null,"datetime":null,"nonce":null}""");
        return CcxtExchangeSession.ParseOrderBook(answer.RootElement, "binance");
    }

    /// <summary>A number's significant digits and the power of ten before them: "1E-08" and "0.00000001" alike.</summary>
    private static (string Digits, int Exponent) Significant(string number)
    {
        var parts = number.ToLowerInvariant().Split('e');
        var mantissa = parts[0].Split('.');
        var digits = mantissa[0] + (mantissa.Length > 1 ? mantissa[1] : "");
        var exponent = (parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0) + mantissa[0].Length;
        var significant = digits.TrimStart('0');
        return (significant.TrimEnd('0'), exponent - (digits.Length - significant.Length));
    }
}
