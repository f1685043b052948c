using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Tests.Metrics;

public sealed class MetricBandsTests
{
    [Fact]
    public void The_defaults_are_Kaikos_bands_and_four_order_sizes()
    {
        Assert.Equal([0.1, 0.5, 1, 2, 5, 10], MetricBands.Default.DepthPercents);
        Assert.Equal([1_000, 10_000, 100_000, 1_000_000], MetricBands.Default.SlippageNotionals);
    }

    [Fact]
    public void Bands_are_sorted_ascending()
    {
        var bands = MetricBands.Create([5, 0.5, 2], [10_000, 1_000]);
        Assert.Equal([0.5, 2, 5], bands.DepthPercents);
        Assert.Equal([1_000, 10_000], bands.SlippageNotionals);
    }

    [Theory]
    [InlineData(new double[] { }, new double[] { 1 }, "DepthPercents must hold 1 to 16")]
    [InlineData(new double[] { 0 }, new double[] { 1 }, "DepthPercents: each value must be above 0 and at most 100 (was 0)")]
    [InlineData(new double[] { 101 }, new double[] { 1 }, "at most 100 (was 101)")]
    [InlineData(new double[] { double.NaN }, new double[] { 1 }, "(was NaN)")]
    [InlineData(new double[] { 1, 1 }, new double[] { 1 }, "DepthPercents must not repeat a value")]
    [InlineData(new double[] { 1 }, new double[] { -5 }, "SlippageNotionals: each value must be above 0 and at most 1000000000000000 (was -5)")]
    [InlineData(new double[] { 1 }, new double[] { double.PositiveInfinity }, "SlippageNotionals: each value")]
    public void Bad_bands_are_refused_naming_the_setting_and_value(double[] percents, double[] notionals, string expected)
    {
        Assert.Contains(expected, MetricBands.Check(percents, notionals)[0]);
        var error = Assert.Throws<ArgumentException>(() => MetricBands.Create(percents, notionals));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void At_most_sixteen_of_each()
    {
        var seventeen = Enumerable.Range(1, 17).Select(i => (double)i).ToArray();
        Assert.Contains("SlippageNotionals must hold 1 to 16 values (held 17)", Assert.Single(MetricBands.Check([1], seventeen)));
    }
}
