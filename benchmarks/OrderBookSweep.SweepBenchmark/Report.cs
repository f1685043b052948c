using System.Text;

namespace OrderBookSweep.SweepBenchmark;

/// <summary>Prints the benchmark's lines and keeps them, to append the raw run to results/&lt;date&gt;.txt.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();

    public void Line(string line = "")
    {
        Console.WriteLine(line);
        _text.AppendLine(line);
    }

    /// <summary>Appends this run to the day's file: every run of a day stays, so ranges can be read from it.</summary>
    public string AppendTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{DateTime.UtcNow:yyyy-MM-dd}.txt");
        File.AppendAllText(path, _text.ToString() + Environment.NewLine);
        return path;
    }
}
