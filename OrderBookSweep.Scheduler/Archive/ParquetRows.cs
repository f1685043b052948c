using System.IO.Compression;
using Parquet;
using Parquet.Schema;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// A bounded buffer of rows of one archive file, column by column, written out as one row group
/// each time it fills: the writer never holds more than <see cref="RowGroupRows"/> rows, whatever
/// the size of the sweep.
/// </summary>
internal abstract class ParquetRows
{
    /// <summary>
    /// Rows per row group of the narrow tables: large enough for compression and for DuckDB's
    /// per-row-group statistics to skip most of a file, small enough to keep the writer's memory
    /// to a few MiB.
    /// </summary>
    public const int DefaultRowGroupRows = 64 * 1024;

    /// <summary>
    /// Zstandard: the best ratio of the codecs DuckDB, pandas and Spark all read, at its smallest
    /// size (Parquet.Net's default level). The repeated strings as a dictionary: Parquet.Net's
    /// default wrote them plain, twice the bytes to compress.
    /// </summary>
    public static readonly ParquetOptions WriteOptions = Options(CompressionLevel.SmallestSize);

    /// <summary>
    /// For files rewritten after every sweep (<see cref="SeriesIndex"/>), a hundred small ones each
    /// time: Snappy. Zstandard at its smallest size took some 5 ms a column chunk of 500 rows, and at
    /// any level a context per chunk, which the scheduler's malloc settings map and unmap each time
    /// (3 s of system time a sweep); Snappy's files are about half again as large.
    /// </summary>
    public static readonly ParquetOptions RewriteOptions = Options(CompressionLevel.Optimal, CompressionMethod.Snappy);

    private readonly ParquetColumn[] _columns;
    private int _capacity;

    protected ParquetRows(int rowGroupRows, params ParquetColumn[] columns)
    {
        RowGroupRows = rowGroupRows;
        _columns = columns;
        Schema = new ParquetSchema(columns.Select(c => c.Field));
    }

    public ParquetSchema Schema { get; }

    /// <summary>Rows written out as one row group.</summary>
    public int RowGroupRows { get; }

    public int Count { get; protected set; }

    /// <summary>Makes room for <paramref name="rows"/> more rows (a 5,000-level book is one call).</summary>
    protected void Reserve(int rows)
    {
        if (Count + rows > _capacity)
        {
            Grow(Math.Max(Count + rows, Math.Min(2 * _capacity, RowGroupRows)));
        }
    }

    public bool IsFull => Count >= RowGroupRows;

    public async Task FlushAsync(ParquetWriter writer, CancellationToken ct)
    {
        if (Count == 0)
        {
            return;
        }

        using (var group = writer.CreateRowGroup())
        {
            foreach (var column in _columns)
            {
                await column.WriteAsync(group, Count, ct);
            }
        }

        Clear();
    }

    /// <summary>
    /// Replaces the buffer's rows with a row group of a file, column by column by name; a column
    /// the file lacks (written with other settings) reads as nulls, one only the file has is left out.
    /// </summary>
    public async Task ReadAsync(ParquetRowGroupReader rowGroup, IReadOnlyDictionary<string, DataField> fileFields, CancellationToken ct)
    {
        Clear();
        var rows = checked((int)rowGroup.RowCount);
        if (rows > _capacity)
        {
            Grow(rows);
        }

        foreach (var column in _columns)
        {
            await column.ReadAsync(rowGroup, fileFields.GetValueOrDefault(column.Field.Name), rows, ct);
        }

        Count = rows;
    }

    /// <summary>Adds a copy of row <paramref name="row"/> of a buffer of the same shape.</summary>
    public void AddFrom(ParquetRows source, int row)
    {
        Reserve(1);
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].CopyFrom(source._columns[i], row, Count);
        }

        Count++;
    }

    private void Clear()
    {
        foreach (var column in _columns)
        {
            column.Clear(Count);
        }

        Count = 0;
    }

    private static ParquetOptions Options(CompressionLevel level, CompressionMethod method = CompressionMethod.Zstd) => new()
    {
        CompressionMethod = method,
        CompressionLevel = level,
        ColumnEncodingHints =
        {
            ["exchange"] = EncodingHint.Dictionary,
            ["symbol"] = EncodingHint.Dictionary,
            ["market_type"] = EncodingHint.Dictionary,
            ["side"] = EncodingHint.Dictionary,
        },
    };

    private void Grow(int capacity)
    {
        _capacity = capacity;
        foreach (var column in _columns)
        {
            column.Resize(capacity);
        }
    }
}
