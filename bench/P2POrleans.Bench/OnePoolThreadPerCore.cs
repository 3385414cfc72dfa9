namespace P2POrleans.Bench;

/// <summary>
/// While alive, the thread pool has at most one worker thread per core (restored on dispose). For a
/// CPU-bound run whose work never blocks a pool thread, like a swarm on simulated time: with more
/// runnable threads than cores the members' ticks are only time-sliced. Measured on this 2-core
/// machine (docs/bench.md, "Fourth window"): the pool's hill climbing kept 3-4 workers busy during the
/// 100-peer swarm and the members' tick times added up to 2.7 times the tick phase; with 2 workers the
/// same binaries ran the warm swarm in 4.99 / 5.08 s instead of 5.93 / 5.76 s.
/// </summary>
public sealed class OnePoolThreadPerCore : IDisposable
{
    private readonly int _workers;
    private readonly int _io;

    public OnePoolThreadPerCore()
    {
        ThreadPool.GetMaxThreads(out _workers, out _io);
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        Applied = ThreadPool.SetMaxThreads(Math.Max(Environment.ProcessorCount, minWorkers), _io);
        ThreadPool.GetMaxThreads(out var now, out _);
        MaxWorkers = now;
    }

    /// <summary>Whether the pool accepted the limit.</summary>
    public bool Applied { get; }

    /// <summary>The pool's worker limit while this is alive.</summary>
    public int MaxWorkers { get; }

    public void Dispose() => ThreadPool.SetMaxThreads(_workers, _io);
}
