using P2POrleans.Common;

namespace P2POrleans.Tests.Common;

public sealed class CoalescingWriterTests
{
    [Fact]
    public async Task Changes_during_a_write_cost_one_more_write_and_every_caller_sees_its_change_written()
    {
        var gate = new TaskCompletionSource();
        var value = 0;
        var written = new List<int>();
        var writer = new CoalescingWriter(async () =>
        {
            var snapshot = value;
            await gate.Task;
            written.Add(snapshot);
        });

        value = 1;
        var first = writer.WriteAsync();
        value = 2;
        var second = writer.WriteAsync();
        value = 3;
        var third = writer.WriteAsync();
        Assert.False(first.IsCompleted);
        gate.SetResult();
        await Task.WhenAll(first, second, third);

        Assert.Equal([1, 3], written);
        Assert.Equal(2, writer.Writes);

        // Idle again: a new change starts a new write, even when the write completes synchronously.
        var sync = new CoalescingWriter(() => Task.CompletedTask);
        await sync.WriteAsync();
        await sync.WriteAsync();
        Assert.Equal(2, sync.Writes);
    }
}
