namespace OrderBookSweep.Coordination.Metrics;

/// <summary>
/// Many venues' books of one base read as one market: the best bid and ask across them and
/// where each is, the depth of every band summed, and the venues not to trust flagged (a crossed
/// book, or one the exchange had already held for longer than the stale limit when it was fetched).
/// Flagged venues are left out of the best prices and the sums.
/// </summary>
/// <param name="Venues">Venue rows considered (one per exchange and symbol).</param>
/// <param name="BestBid">The highest best bid of an unflagged venue; null if none has bids.</param>
/// <param name="BestAsk">The lowest best ask of an unflagged venue; null if none has asks.</param>
/// <param name="Depth">Per band (percent), the unflagged venues' depth summed. Quote sums add different quote currencies at par.</param>
/// <param name="Flagged">The venues left out, and why.</param>
public sealed record ConsolidatedMarket(
    int Venues,
    VenuePrice? BestBid,
    VenuePrice? BestAsk,
    IReadOnlyList<ConsolidatedDepthBand> Depth,
    IReadOnlyList<FlaggedVenue> Flagged)
{
    /// <summary>The consolidated view of these symbols' venues; stale means an age above <paramref name="staleAfter"/>.</summary>
    public static ConsolidatedMarket Of(IEnumerable<MarketVenues> symbols, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var staleMs = (long)staleAfter.TotalMilliseconds;
        var rows = symbols.SelectMany(s => s.Venues.Select(v => (s.Symbol, Venue: v))).ToList();
        var flagged = new List<FlaggedVenue>();
        var trusted = new List<(string Symbol, MarketVenue Venue)>();
        foreach (var row in rows)
        {
            var metrics = row.Venue.Metrics;
            var stale = metrics.AgeMs > staleMs;
            if (metrics.Crossed || stale)
            {
                flagged.Add(new FlaggedVenue(row.Venue.Exchange, row.Symbol, metrics.Crossed, stale, metrics.AgeMs));
            }
            else
            {
                trusted.Add(row);
            }
        }

        var bestBid = trusted.Where(r => r.Venue.Metrics.BestBid is not null)
            .OrderByDescending(r => r.Venue.Metrics.BestBid).ThenBy(r => r.Venue.Exchange, StringComparer.Ordinal)
            .Select(r => new VenuePrice(r.Venue.Metrics.BestBid!.Value, r.Venue.Exchange, r.Symbol)).FirstOrDefault();
        var bestAsk = trusted.Where(r => r.Venue.Metrics.BestAsk is not null)
            .OrderBy(r => r.Venue.Metrics.BestAsk).ThenBy(r => r.Venue.Exchange, StringComparer.Ordinal)
            .Select(r => new VenuePrice(r.Venue.Metrics.BestAsk!.Value, r.Venue.Exchange, r.Symbol)).FirstOrDefault();
        var depth = trusted.SelectMany(r => r.Venue.Metrics.Depth ?? [])
            .GroupBy(band => band.Percent)
            .OrderBy(bands => bands.Key)
            .Select(bands => new ConsolidatedDepthBand(
                bands.Key, bands.Sum(b => b.BidBase), bands.Sum(b => b.AskBase), bands.Sum(b => b.BidQuote), bands.Sum(b => b.AskQuote), bands.Count()))
            .ToList();
        return new ConsolidatedMarket(rows.Count, bestBid, bestAsk, depth, flagged);
    }
}

/// <summary>A price and the venue (exchange and symbol) that quotes it.</summary>
public sealed record VenuePrice(double Price, string Exchange, string Symbol);

/// <summary>One band's depth summed over <paramref name="Venues"/> venues.</summary>
public sealed record ConsolidatedDepthBand(double Percent, double BidBase, double AskBase, double BidQuote, double AskQuote, int Venues);

/// <summary>A venue left out of the consolidated view: its book is crossed, stale (age above the limit), or both.</summary>
public sealed record FlaggedVenue(string Exchange, string Symbol, bool Crossed, bool Stale, long? AgeMs);
