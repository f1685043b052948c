using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Tests.Metrics;

public sealed class MarketInfoTests
{
    [Fact]
    public void A_currency_code_is_refused_for_a_control_character_and_for_nothing_else_printable()
    {
        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            Assert.True(MarketInfo.IsCurrency("BTC" + c) == !char.IsControl(c), $"U+{(int)c:X4}");
        }
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("USDT", true)]
    [InlineData("1000SHIB", true)]
    public void A_currency_code_is_1_to_64_characters_not_all_blank(string? code, bool expected)
    {
        Assert.Equal(expected, MarketInfo.IsCurrency(code));
        Assert.True(MarketInfo.IsCurrency(new string('X', MarketInfo.MaxCurrencyLength)));
        Assert.False(MarketInfo.IsCurrency(new string('X', MarketInfo.MaxCurrencyLength + 1)));
    }
}
