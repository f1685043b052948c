using System.Globalization;
using Parquet;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// One Parquet file being written, crash-safe: under <see cref="ArchiveLayout.TempSuffix"/> until
/// <see cref="CommitAsync"/> writes its footer (with the count of what it holds), flushes it to the
/// disk and renames it over any older copy. A file never committed stays a temporary one, which no
/// <c>*.parquet</c> glob matches, and the next write of it replaces it.
/// </summary>
internal sealed class ArchiveFile : IAsyncDisposable
{
    /// <summary>Footer metadata: books in a books or metrics file, exchanges in an outcomes file.</summary>
    public const string CountKey = "orderbooksweep.count";

    private readonly string _path;
    private readonly bool _durable;
    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private bool _committed;

    private ArchiveFile(string path, bool durable, ParquetRows rows, FileStream stream, ParquetWriter writer)
    {
        _path = path;
        _durable = durable;
        Rows = rows;
        _stream = stream;
        _writer = writer;
    }

    public ParquetRows Rows { get; }

    /// <param name="durable">
    /// Flushed to the disk before the rename, so that not even a power cut leaves a renamed file
    /// without its data. Staged files skip it: they are rewritten from Redis if lost, and one
    /// flush per exchange would cost more than the rest of their writing.
    /// </param>
    public static async Task<ArchiveFile> CreateAsync(string path, ParquetRows rows, bool durable, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path + ArchiveLayout.TempSuffix, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        try
        {
            return new ArchiveFile(path, durable, rows, stream, await ParquetWriter.CreateAsync(rows.Schema, stream, ParquetRows.WriteOptions, false, ct));
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes the buffer out as a row group once it is full.</summary>
    public async Task FlushIfFullAsync(CancellationToken ct)
    {
        if (Rows.IsFull)
        {
            await Rows.FlushAsync(_writer, ct);
        }
    }

    /// <summary>Appends a file of the same schema (a staged one), row group by row group.</summary>
    public Task CopyAsync(string file, CancellationToken ct) => Rows.CopyAsync(file, _writer, ct);

    public async Task CommitAsync(int count, CancellationToken ct)
    {
        await Rows.FlushAsync(_writer, ct);
        _writer.CustomMetadata = new Dictionary<string, string> { [CountKey] = count.ToString(CultureInfo.InvariantCulture) };
        await _writer.DisposeAsync();
        _stream.Flush(flushToDisk: _durable);
        await _stream.DisposeAsync();
        File.Move(_path + ArchiveLayout.TempSuffix, _path, overwrite: true);
        _committed = true;
    }

    /// <summary>The count a committed file holds in its footer.</summary>
    public static async Task<int> ReadCountAsync(string file, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(file, null, ct);
        return reader.CustomMetadata.TryGetValue(CountKey, out var value) && int.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            // Closing a writer of a failed file could fail too (a full disk): the temporary file is left, never read.
            try
            {
                await _writer.DisposeAsync();
                await _stream.DisposeAsync();
            }
            catch (IOException)
            {
                await _stream.DisposeAsync();
            }
        }
    }
}
