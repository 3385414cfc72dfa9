namespace P2POrleans.Bench;

/// <summary>A macro benchmark: builds overlays in an in-process silo and prints measured numbers.</summary>
public interface IMacroBenchmark
{
    string Name { get; }

    string Description { get; }

    Task RunAsync(BenchHost host, BenchReport report, CancellationToken cancellationToken);
}
