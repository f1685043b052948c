using System.Text.Json.Serialization;
using OrderBookSweep.Coordination.Internal;

namespace OrderBookSweep.Coordination;

/// <summary>
/// One price level as ccxt holds it: two doubles, stored and served as the JSON array
/// <c>[price, amount]</c>. ccxt's extra level elements (order count, timestamp) are dropped.
/// </summary>
/// <remarks>
/// The doubles are ccxt's own values, never converted: .NET writes the shortest text that reads
/// back as the same double, which is the number JavaScript prints.
/// </remarks>
[JsonConverter(typeof(OrderBookLevelJsonConverter))]
public readonly record struct OrderBookLevel(double Price, double Amount)
{
    /// <summary>Both numbers finite: a level JSON can carry (no NaN, no infinity).</summary>
    public bool IsFinite => double.IsFinite(Price) && double.IsFinite(Amount);
}
