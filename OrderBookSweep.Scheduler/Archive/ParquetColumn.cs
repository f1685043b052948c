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

    /// <summary>Reads <paramref name="count"/> values from a file's column of the same name, or, when the file has none (<paramref name="fileField"/> null), nulls.</summary>
    public abstract Task ReadAsync(ParquetRowGroupReader reader, DataField? fileField, int count, CancellationToken ct);

    /// <summary>Sets row <paramref name="row"/> to row <paramref name="sourceRow"/> of the same column of a buffer of the same shape.</summary>
    public abstract void CopyFrom(ParquetColumn source, int sourceRow, int row);

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

    public sealed override void CopyFrom(ParquetColumn source, int sourceRow, int row) =>
        Values[row] = ((ArrayColumn<TValue>)source).Values[sourceRow];

    public sealed override Task ReadAsync(ParquetRowGroupReader reader, DataField? fileField, int count, CancellationToken ct)
    {
        if (fileField is null)
        {
            Array.Clear(Values, 0, count);
            return Task.CompletedTask;
        }

        return ReadValuesAsync(reader, fileField, count, ct);
    }

    protected abstract Task ReadValuesAsync(ParquetRowGroupReader reader, DataField fileField, int count, CancellationToken ct);

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

    protected override Task ReadValuesAsync(ParquetRowGroupReader reader, DataField fileField, int count, CancellationToken ct) =>
        reader.ReadAsync<T>(fileField, Values.AsMemory(0, count), null, ct).AsTask();
}

internal sealed class NullableColumn<T>(DataField field) : ArrayColumn<T?>(field)
    where T : struct
{
    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct) =>
        writer.WriteAsync<T>(Field, Values.AsMemory(0, count), null, null, ct);

    protected override Task ReadValuesAsync(ParquetRowGroupReader reader, DataField fileField, int count, CancellationToken ct) =>
        reader.ReadAsync<T>(fileField, Values.AsMemory(0, count), null, ct).AsTask();
}

internal sealed class StringColumn(DataField field) : ArrayColumn<string?>(field)
{
    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct) =>
        writer.WriteAsync(Field, new ArraySegment<string>(Values!, 0, count), null);

    protected override Task ReadValuesAsync(ParquetRowGroupReader reader, DataField fileField, int count, CancellationToken ct) =>
        reader.ReadAsync(fileField, Values.AsMemory(0, count), null, ct).AsTask();
}
