using System.Globalization;
using System.Text;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// A series as CSV (RFC 4180): a header <c>sweep_id,fetched_at,&lt;fields&gt;</c>, then one line per
/// point; times in ISO 8601 UTC, numbers as the shortest text that reads back the same, an empty
/// cell for null. Only field names and numbers are written, so nothing needs quoting.
/// </summary>
public static class HistoryCsv
{
    public static string Write(IReadOnlyList<string> fields, IReadOnlyList<HistoryPoint> points)
    {
        var csv = new StringBuilder();
        csv.Append("sweep_id,fetched_at");
        foreach (var field in fields)
        {
            csv.Append(',').Append(field);
        }

        csv.Append("\r\n");
        foreach (var point in points)
        {
            csv.Append(point.SweepId.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(point.FetchedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            foreach (var field in fields)
            {
                csv.Append(',').Append(point.Values[field] switch
                {
                    null => "",
                    bool flag => flag ? "true" : "false",
                    double number => number.ToString("R", CultureInfo.InvariantCulture),
                    IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
                    var other => other.ToString(),
                });
            }

            csv.Append("\r\n");
        }

        return csv.ToString();
    }
}
