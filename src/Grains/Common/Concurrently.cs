using System.Runtime.ExceptionServices;

namespace P2POrleans.Common;

/// <summary>
/// Bounded fan-out that stays on the caller's task scheduler. Inside a grain, Parallel.ForEachAsync
/// would run the calls on thread-pool threads, outside the activation, which Orleans forbids.
/// <paramref name="degree"/> workers take the items in order, so only the calls in flight are held:
/// a converged build of 10^6 peers would otherwise keep a million finished tasks until the end
/// (docs/bench.md, memory). Every item runs even when some fail; the first failure is then thrown.
/// </summary>
public static class Concurrently
{
    public static async Task ForEachAsync<T>(IEnumerable<T> items, int degree, Func<T, Task> body)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        using var source = items.GetEnumerator();
        var gate = new object();
        List<Exception>? failures = null;
        var workers = new Task[degree];
        for (var w = 0; w < degree; w++)
        {
            workers[w] = WorkAsync();
        }

        await Task.WhenAll(workers);
        if (failures is { Count: > 0 })
        {
            ExceptionDispatchInfo.Capture(failures[0]).Throw();
        }

        async Task WorkAsync()
        {
            while (true)
            {
                T item;
                lock (gate)
                {
                    // Outside a grain the workers' continuations may run on several threads at once.
                    if (!source.MoveNext())
                    {
                        return;
                    }

                    item = source.Current;
                }

                try
                {
                    await body(item);
                }
                catch (Exception e)
                {
                    lock (gate)
                    {
                        (failures ??= []).Add(e);
                    }
                }
            }
        }
    }
}
