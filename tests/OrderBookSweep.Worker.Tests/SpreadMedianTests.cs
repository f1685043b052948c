using OrderBookSweep.Worker.Sweeping;

namespace OrderBookSweep.Worker.Tests;

public sealed class SpreadMedianTests
{
    [Fact]
    public void Odd_counts_give_the_middle_spread_and_even_counts_the_mean_of_the_two_middle_ones()
    {
        var median = new SpreadMedian();
        foreach (var spread in new[] { 9.0, 1.0, 4.0 })
        {
            median.Add(spread);
        }

        Assert.Equal(4.0, median.Median);
        median.Add(6.0);
        Assert.Equal(5.0, median.Median);
    }

    [Fact]
    public void Books_without_a_spread_are_not_counted_and_none_gives_null()
    {
        var median = new SpreadMedian();
        median.Add(null);
        median.Add(double.NaN);
        Assert.Null(median.Median);

        // A crossed book's spread is negative, and still counts.
        median.Add(-2.0);
        median.Add(null);
        Assert.Equal(-2.0, median.Median);
    }

    [Fact]
    public async Task Lanes_adding_at_once_lose_no_spread()
    {
        var median = new SpreadMedian();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(lane => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                median.Add(lane * 1000 + i);
            }
        })));

        // 0..3999: the two middle values are 1999 and 2000.
        Assert.Equal(1999.5, median.Median);
    }
}
