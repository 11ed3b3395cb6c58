namespace Kcc.Workbench.Benchmarks;

/// <summary>Nearest-rank percentiles over the latencies of one run.</summary>
internal sealed class LatencyStats
{
    private readonly double[] sorted;

    public LatencyStats(IEnumerable<double> milliseconds)
    {
        sorted = milliseconds.ToArray();
        Array.Sort(sorted);
    }

    public int Count => sorted.Length;

    public double Mean => sorted.Length == 0 ? 0 : sorted.Average();

    public double Max => sorted.Length == 0 ? 0 : sorted[^1];

    public double Percentile(double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
