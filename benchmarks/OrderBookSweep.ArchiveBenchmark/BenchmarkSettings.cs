using System.Globalization;

namespace OrderBookSweep.ArchiveBenchmark;

/// <summary>The benchmark's arguments: --books, --levels, --exchanges, --sweeps; a child gets its mode and where to work.</summary>
internal sealed record BenchmarkSettings(int Books, int Levels, int Exchanges, int Sweeps, string? ChildMode, string? Redis, string? Root, long SweepId)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new BenchmarkSettings(
            Int("--books", 20_000), Int("--levels", 100), Int("--exchanges", 100), Int("--sweeps", 1_440),
            Value("--child"), Value("--redis"), Value("--root"), Value("--sweep") is { } id ? long.Parse(id, CultureInfo.InvariantCulture) : 0);
    }

    public string[] ChildArguments(string mode, string redis, string root, long sweepId) =>
        ["--child", mode, "--redis", redis, "--root", root, "--sweep", sweepId.ToString(CultureInfo.InvariantCulture),
         "--books", Books.ToString(CultureInfo.InvariantCulture), "--levels", Levels.ToString(CultureInfo.InvariantCulture)];
}
