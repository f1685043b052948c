using Parquet;
using Parquet.Schema;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// One column of a <see cref="ParquetRows"/> buffer: its field and its values, written as a
/// column chunk of a row group.
/// </summary>
internal abstract class ParquetColumn(DataField field)
{
    public DataField Field { get; } = field;

    public abstract void Resize(int capacity);

    public abstract Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct);

    /// <summary>Drops references (strings) so a flushed buffer holds nothing alive.</summary>
    public abstract void Clear(int count);
}

internal sealed class ValueColumn<T>(DataField field) : ParquetColumn(field)
    where T : struct
{
    public T[] Values { get; private set; } = [];

    public override void Resize(int capacity)
    {
        var values = Values;
        Array.Resize(ref values, capacity);
        Values = values;
    }

    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct) =>
        writer.WriteAsync<T>(Field, Values.AsMemory(0, count), null, null, ct);

    public override void Clear(int count)
    {
    }
}

internal sealed class NullableColumn<T>(DataField field) : ParquetColumn(field)
    where T : struct
{
    public T?[] Values { get; private set; } = [];

    public override void Resize(int capacity)
    {
        var values = Values;
        Array.Resize(ref values, capacity);
        Values = values;
    }

    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct) =>
        writer.WriteAsync<T>(Field, Values.AsMemory(0, count), null, null, ct);

    public override void Clear(int count)
    {
    }
}

internal sealed class StringColumn(DataField field) : ParquetColumn(field)
{
    public string?[] Values { get; private set; } = [];

    public override void Resize(int capacity)
    {
        var values = Values;
        Array.Resize(ref values, capacity);
        Values = values;
    }

    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct) =>
        writer.WriteAsync(Field, new ArraySegment<string>(Values!, 0, count), null);

    public override void Clear(int count) => Array.Clear(Values, 0, count);
}
