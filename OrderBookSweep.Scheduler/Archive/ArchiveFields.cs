using Parquet.Schema;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>How the archive writes times: UTC timestamps in milliseconds, the precision every stored time has.</summary>
internal static class ArchiveFields
{
    public static DateTimeDataField Timestamp(string name, bool nullable) =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: nullable);

    public static DateTime FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
}
