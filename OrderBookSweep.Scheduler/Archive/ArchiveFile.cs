using System.Globalization;
using Parquet;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// One Parquet file being written, crash-safe: it lives under <see cref="ArchiveLayout.TempSuffix"/>,
/// which no <c>*.parquet</c> glob matches, until <see cref="Publish"/> flushes it to the disk and
/// renames it over any older copy. Row groups go to the temporary file in one go
/// (<see cref="CreateAsync"/>) or in several, each appended after those already there
/// (<see cref="AppendAsync"/>); every <see cref="CloseAsync"/> ends it with a footer, so between
/// two appends it is a whole Parquet file whose footer says what it holds.
/// </summary>
internal sealed class ArchiveFile : IAsyncDisposable
{
    /// <summary>Footer metadata: books in a books or metrics file, exchanges in an outcomes file.</summary>
    public const string CountKey = "orderbooksweep.count";

    private readonly string _path;
    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private bool _closed;

    private ArchiveFile(string path, ParquetRows rows, FileStream stream, ParquetWriter writer)
    {
        _path = path;
        Rows = rows;
        _stream = stream;
        _writer = writer;
    }

    public ParquetRows Rows { get; }

    /// <summary>The footer metadata of the row groups already in the file (empty for a new one).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _writer.CustomMetadata;

    /// <summary>A new temporary file for <paramref name="path"/>, replacing any left by an earlier attempt.</summary>
    public static Task<ArchiveFile> CreateAsync(string path, ParquetRows rows, CancellationToken ct, ParquetOptions? options = null) =>
        OpenAsync(path, rows, FileMode.Create, options ?? ParquetRows.WriteOptions, ct);

    /// <summary>
    /// The temporary file for <paramref name="path"/>, positioned to append row groups after those it
    /// holds (a new one if there is none). The caller has checked it is whole (<see cref="ReadMetadataAsync"/>).
    /// </summary>
    public static Task<ArchiveFile> AppendAsync(string path, ParquetRows rows, CancellationToken ct) =>
        OpenAsync(path, rows, FileMode.OpenOrCreate, ParquetRows.WriteOptions, ct);

    private static async Task<ArchiveFile> OpenAsync(string path, ParquetRows rows, FileMode mode, ParquetOptions options, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path + ArchiveLayout.TempSuffix, mode, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        try
        {
            var append = stream.Length > 0;
            return new ArchiveFile(path, rows, stream, await ParquetWriter.CreateAsync(rows.Schema, stream, options, append, ct));
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

    /// <summary>Writes the buffered rows out as a row group now.</summary>
    public Task FlushAsync(CancellationToken ct) => Rows.FlushAsync(_writer, ct);

    /// <summary>Writes the rows left and the footer, with <paramref name="metadata"/>; the file keeps its temporary name.</summary>
    public async Task CloseAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        await Rows.FlushAsync(_writer, ct);
        _writer.CustomMetadata = metadata;
        await _writer.DisposeAsync();
        _stream.SetLength(_stream.Position);
        await _stream.DisposeAsync();
        _closed = true;
    }

    /// <summary>Closes the file with its count and publishes it.</summary>
    public async Task CommitAsync(int count, bool durable, CancellationToken ct)
    {
        await CloseAsync(CountMetadata(count), ct);
        Publish(_path, durable);
    }

    public static Dictionary<string, string> CountMetadata(int count) => new() { [CountKey] = count.ToString(CultureInfo.InvariantCulture) };

    /// <param name="durable">
    /// Flushed to the disk before the rename, so that not even a power cut leaves a renamed file
    /// without its data. Files that are rewritten from their source if lost skip it.
    /// </param>
    public static void Publish(string path, bool durable)
    {
        var temp = path + ArchiveLayout.TempSuffix;
        if (durable)
        {
            using var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The footer metadata of a whole Parquet file; null if it is missing or not whole (a write was cut short).</summary>
    public static async Task<IReadOnlyDictionary<string, string>?> ReadMetadataAsync(string file, CancellationToken ct)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            await using var reader = await ParquetReader.CreateAsync(file, null, ct);
            return reader.CustomMetadata;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The count a committed file holds in its footer.</summary>
    public static int CountOf(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(CountKey, out var value) && int.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            // Closing a writer of a failed file could fail too (a full disk): the temporary file is left, and checked before it is appended to.
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
