namespace P2POrleans.Common;

/// <summary>
/// Bounded fan-out that stays on the caller's task scheduler. Inside a grain, Parallel.ForEachAsync
/// would run the calls on thread-pool threads, outside the activation, which Orleans forbids.
/// </summary>
public static class Concurrently
{
    public static async Task ForEachAsync<T>(IEnumerable<T> items, int degree, Func<T, Task> body)
    {
        using var gate = new SemaphoreSlim(degree);
        var tasks = new List<Task>();
        foreach (var item in items)
        {
            await gate.WaitAsync();
            tasks.Add(RunAsync(item));
        }

        await Task.WhenAll(tasks);

        async Task RunAsync(T item)
        {
            try
            {
                await body(item);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
