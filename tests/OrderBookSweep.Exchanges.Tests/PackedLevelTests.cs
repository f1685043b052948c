using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>
/// Levels cross the seam as ccxt's doubles; each must become the decimal JavaScript prints for it,
/// which is what the text protocol gave before the levels were packed.
/// </summary>
public sealed class PackedLevelTests
{
    [Theory]
    [InlineData(43251.37, "43251.37")]
    [InlineData(0.00001234, "0.00001234")]
    [InlineData(1e-8, "0.00000001")]
    [InlineData(100.0, "100")]
    // 16 and 17 significant digits: the direct conversion would round them to 15.
    [InlineData(123456789.12345678, "123456789.12345678")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    public void A_double_becomes_its_shortest_round_trip_decimal(double value, string expected)
    {
        var converted = CcxtExchangeSession.ToDecimal(value);

        Assert.Equal(expected, converted.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(value, (double)converted);
    }
}
