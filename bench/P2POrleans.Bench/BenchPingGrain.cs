using P2POrleans.Common;

namespace P2POrleans.Bench;

public sealed class BenchPingGrain : Grain, IBenchPingGrain
{
    public Task PingAsync() => Task.CompletedTask;

    public Task CallManyAsync(int calls, int concurrency, int targets)
    {
        var perWorker = calls / concurrency;
        return Concurrently.ForEachAsync(Enumerable.Range(0, concurrency), concurrency, async w =>
        {
            for (var i = 0; i < perWorker; i++)
            {
                await GrainFactory.GetGrain<IBenchPingGrain>(1 + ((w * perWorker) + i) % targets).PingAsync();
            }
        });
    }
}
