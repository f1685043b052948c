using System.Runtime.CompilerServices;
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

/// <summary>
/// A column's values in one array, grown with the buffer. Arrays of strings are cleared after a
/// flush; arrays of plain values hold nothing alive and are left as they are.
/// </summary>
internal abstract class ArrayColumn<TValue>(DataField field) : ParquetColumn(field)
{
    public TValue[] Values { get; private set; } = [];

    public sealed override void Resize(int capacity)
    {
        var values = Values;
        Array.Resize(ref values, capacity);
        Values = values;
    }

    public sealed override void Clear(int count)
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<TValue>())
        {
            Array.Clear(Values, 0, count);
        }
    }
}

internal sealed class ValueColumn<T>(DataField field) : ArrayColumn<T>(field)
    where T : struct
{
    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct) =>
        writer.WriteAsync<T>(Field, Values.AsMemory(0, count), null, null, ct);
}

internal sealed class NullableColumn<T>(DataField field) : ArrayColumn<T?>(field)
    where T : struct
{
    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct) =>
        writer.WriteAsync<T>(Field, Values.AsMemory(0, count), null, null, ct);
}

internal sealed class StringColumn(DataField field) : ArrayColumn<string?>(field)
{
    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct) =>
        writer.WriteAsync(Field, new ArraySegment<string>(Values!, 0, count), null);
}
