using Microsoft.Extensions.Options;
using OrderBookSweep.ExchangeSimulator;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>Each instrument of both profiles is priced like the real thing, relative to its base currency's index.</summary>
public sealed class FairPriceTests
{
    [Theory]
    [InlineData(SimulatorProfile.Small)]
    [InlineData(SimulatorProfile.Realistic)]
    public void Swaps_and_futures_trade_near_the_index_and_options_for_a_fraction_of_it(SimulatorProfile profile)
    {
        var catalog = new MarketCatalog(Options.Create(new SimulatorOptions { Profile = profile }), TimeProvider.System);

        foreach (var market in ExchangeFormats.All.SelectMany(f => catalog.Markets(f.Id)))
        {
            var index = FairPrices.Index(market.Base);
            var ratio = market.FairPrice / index;
            switch (market.Type)
            {
                case MarketType.Spot:
                    Assert.Equal(index, market.FairPrice);
                    break;
                case MarketType.Swap:
                    Assert.InRange(ratio, 1, 1.001);
                    break;
                case MarketType.Future:
                    // A basis of a few percent a year, expiries within a year.
                    Assert.InRange(ratio, 1, 1.07);
                    break;
                case MarketType.Option:
                    // In the base currency where the option settles in it, else in the quote.
                    var premium = market.Margin == Margin.Inverse ? market.FairPrice : ratio;
                    Assert.InRange(premium, 0.0004, 0.6);
                    Assert.InRange((double)market.Strike!.Value / index, 0.5, 1.5);
                    break;
            }
        }
    }

    [Fact]
    public void A_call_costs_less_the_higher_its_strike()
    {
        var catalog = new MarketCatalog(Options.Create(new SimulatorOptions { Profile = SimulatorProfile.Realistic }), TimeProvider.System);
        var calls = catalog.Markets("okx", "OPTION")
            .Where(m => m.Base == "BTC" && m.OptionType == OptionType.Call)
            .GroupBy(m => m.Expiry)
            .First()
            .OrderBy(m => m.Strike)
            .ToArray();

        Assert.True(calls.Length > 10, $"{calls.Length} strikes");
        Assert.All(calls.Zip(calls.Skip(1)), p => Assert.True(p.First.FairPrice >= p.Second.FairPrice, $"{p.First.Symbol} vs {p.Second.Symbol}"));
    }
}
