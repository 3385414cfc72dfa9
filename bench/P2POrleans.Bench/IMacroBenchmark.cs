namespace P2POrleans.Bench;

/// <summary>A macro benchmark: builds overlays in an in-process silo and prints measured numbers.</summary>
public interface IMacroBenchmark
{
    string Name { get; }

    string Description { get; }

    /// <summary>
    /// Runs in a process of its own with the server garbage collector (<see cref="BenchChild"/>): a throughput run
    /// whose collections, on one core with the workstation collector, would leave the other core idle. The others
    /// keep the workstation collector, as `p2p` has it, since they report memory per peer.
    /// </summary>
    bool ServerGc => false;

    Task RunAsync(BenchHost host, BenchReport report, CancellationToken cancellationToken);
}
