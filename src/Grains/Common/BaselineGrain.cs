namespace P2POrleans.Common;

/// <summary>The raw-call baseline: grain-to-grain calls that do nothing.</summary>
public sealed class BaselineGrain : Grain, IBaselineGrain
{
    public Task PingAsync() => Task.CompletedTask;

    public Task CallManyAsync(int calls, int concurrency, int targets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targets, 1);
        var perWorker = calls / concurrency;

        // Targets are 1..targets; this grain (key 0 by convention) drives them. The references skip
        // Orleans' per-call interface resolution, as the peers' do (GrainReferences): the baseline
        // measures a call, not reflection.
        return Concurrently.ForEachAsync(Enumerable.Range(0, concurrency), concurrency, async w =>
        {
            for (var i = 0; i < perWorker; i++)
            {
                await GrainReferences.Integer<IBaselineGrain>(GrainFactory, 1 + (((w * perWorker) + i) % targets)).PingAsync();
            }
        });
    }

    public Task ActivateManyAsync(long firstKey, int count, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Concurrently.ForEachAsync(Enumerable.Range(0, count), concurrency, i => GrainReferences.Integer<IBaselineGrain>(GrainFactory, firstKey + i).PingAsync());
    }
}
