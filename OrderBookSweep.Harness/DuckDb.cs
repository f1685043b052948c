using DuckDB.NET.Data;

namespace OrderBookSweep.Harness;

/// <summary>
/// DuckDB on its own, as a data user runs it over the archive's Parquet files: another reader than
/// the one the scheduler serves the archive with.
/// </summary>
public static class DuckDb
{
    /// <summary>The rows of <paramref name="sql"/>, each an array of its values (null for SQL NULL).</summary>
    public static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
