using OrderBookSweep.Scheduler.Archive;

namespace OrderBookSweep.ArchiveBenchmark;

/// <summary>The archived sweep's bytes per book, against the JSON Redis held for it.</summary>
internal sealed class ArchiveFigures(string root, SeededSweep sweep)
{
    private readonly ArchiveLayout _layout = new(root);

    private long Bytes(ArchivePart part) => new FileInfo(_layout.Find(part, sweep.SweepId)!).Length;

    public double BooksBytesPerBook => Bytes(ArchivePart.Books) / (double)sweep.Books;

    public double BooksRatio => Bytes(ArchivePart.Books) / (double)sweep.JsonBytes;

    public double AllRatio => (Bytes(ArchivePart.Books) + Bytes(ArchivePart.Metrics)) / (double)sweep.JsonBytes;
}
