using System.Collections.Concurrent;

namespace P2POrleans.Tests.Chord;

/// <summary>
/// Runs asynchronous work on one thread, every continuation queued and run in turn: concurrent operations
/// on the in-memory ring interleave at their awaits, as the calls of reentrant grains do in a silo, and
/// never run at the same time (a node, like a grain, is not thread-safe).
/// </summary>
internal sealed class OneThreadContext : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

    public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("synchronous sends would block the one thread");

    /// <summary>Runs <paramref name="work"/> and every continuation it queues until it completes; rethrows its failure.</summary>
    public static void Run(Func<Task> work)
    {
        var previous = Current;
        var context = new OneThreadContext();
        SetSynchronizationContext(context);
        try
        {
            var task = work();
            task.ContinueWith(_ => context._queue.CompleteAdding(), TaskScheduler.Default);
            foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
            {
                callback(state);
            }

            task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
