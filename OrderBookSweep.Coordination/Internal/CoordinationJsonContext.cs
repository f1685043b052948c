using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>Every payload <see cref="CoordinationJson"/> reads or writes, with its options.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(CoordinationJson.UnixMillisecondsConverter), typeof(CoordinationJson.NullableUnixMillisecondsConverter)])]
[JsonSerializable(typeof(BookSnapshot))]
[JsonSerializable(typeof(BookNotification))]
[JsonSerializable(typeof(Metrics.MarketVenue))]
[JsonSerializable(typeof(Metrics.BookMetrics))]
[JsonSerializable(typeof(Metrics.MarketInfo))]
[JsonSerializable(typeof(SweepJob))]
[JsonSerializable(typeof(ExchangeOutcome))]
[JsonSerializable(typeof(DeadLetter))]
[JsonSerializable(typeof(ExchangeSemaphore.StoredHolder))]
[JsonSerializable(typeof(ExchangeCatalog.StoredCatalog))]
internal sealed partial class CoordinationJsonContext : JsonSerializerContext;
