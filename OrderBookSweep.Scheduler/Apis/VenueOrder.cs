using System.Globalization;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Scheduler.Apis;

/// <summary>
/// How the markets API orders a symbol's venues (<c>?sort=</c>), best first: <c>spreadBps</c>
/// (narrowest), <c>depth:P</c> (most quote within P% of the mid, bids and asks together),
/// <c>slippage:N</c> (least, the worse of buy and sell for N of quote) or <c>age</c> (youngest).
/// A venue without the figure comes last; ties and no sort go by exchange id.
/// </summary>
public sealed record VenueOrder(VenueOrder.Kind By, double At)
{
    public enum Kind
    {
        Exchange,
        SpreadBps,
        Depth,
        Slippage,
        Age,
    }

    public const string Rule = "sort is spreadBps, age, depth:P (a percent, e.g. depth:2) or slippage:N (a notional, e.g. slippage:100000).";

    public static VenueOrder ByExchange { get; } = new(Kind.Exchange, 0);

    /// <summary>The order a <c>sort</c> value names; null (absent) orders by exchange; false if it names none.</summary>
    public static bool TryParse(string? sort, out VenueOrder order)
    {
        order = ByExchange;
        if (string.IsNullOrEmpty(sort))
        {
            return true;
        }

        var (name, at) = sort.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? (sort[..colon], sort[(colon + 1)..]) : (sort, null);
        double value = 0;
        if (at is not null && !(double.TryParse(at, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0 && double.IsFinite(value)))
        {
            return false;
        }

        Kind? kind = (name, at is null) switch
        {
            ("spreadBps", true) => Kind.SpreadBps,
            ("age", true) => Kind.Age,
            ("depth", false) => Kind.Depth,
            ("slippage", false) => Kind.Slippage,
            _ => null,
        };
        if (kind is not { } k)
        {
            return false;
        }

        order = new VenueOrder(k, value);
        return true;
    }

    public IReadOnlyList<MarketVenue> Sort(IEnumerable<MarketVenue> venues)
    {
        var byExchange = venues.OrderBy(v => v.Exchange, StringComparer.Ordinal);
        return By switch
        {
            Kind.Exchange => [.. byExchange],
            // Ascending, the missing last; Key negates what is better larger.
            _ => [.. byExchange.OrderBy(v => Key(v) is null).ThenBy(v => Key(v) ?? 0)],
        };
    }

    private double? Key(MarketVenue venue)
    {
        var metrics = venue.Metrics;
        return By switch
        {
            Kind.SpreadBps => metrics.SpreadBps,
            Kind.Age => metrics.AgeMs,
            Kind.Depth => metrics.Depth?.FirstOrDefault(d => d.Percent == At) is { } band ? -(band.BidQuote + band.AskQuote) : null,
            Kind.Slippage => metrics.Slippage?.FirstOrDefault(s => s.Notional == At) is { BuyBps: { } buy, SellBps: { } sell } ? Math.Max(buy, sell) : null,
            _ => null,
        };
    }
}
