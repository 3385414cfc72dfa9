namespace P2POrleans.Common;

/// <summary>
/// Serializes and coalesces the storage writes of a reentrant grain. Orleans grain
/// storage checks an etag, so two writes of one activation must never overlap; and a burst of
/// changes (a stabilize round, a batch of replicas) should cost one write, not one each. A caller
/// marks its change and awaits: the task completes once a write that started after the change has
/// finished, so the change is durable when the await returns.
/// </summary>
public sealed class CoalescingWriter(Func<Task> write)
{
    private Task? _running;
    private bool _dirty;

    /// <summary>Writes performed (each covers every change requested before it started).</summary>
    public long Writes { get; private set; }

    public Task WriteAsync()
    {
        _dirty = true;
        if (_running is { IsCompleted: false } running)
        {
            return running;
        }

        _running = RunAsync();
        return _running;
    }

    private async Task RunAsync()
    {
        while (_dirty)
        {
            _dirty = false;
            Writes++;
            await write();
        }
    }
}
