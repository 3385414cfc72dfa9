using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using P2POrleans.Client;
using P2POrleans.Common;

namespace P2POrleans.Tests.Client;

/// <summary>
/// The console's bounded retries (Polly), on a fake clock: transient failures are retried until the
/// budget is spent, other failures are not, and what still fails is one line with the tries made.
/// </summary>
public sealed class ClusterCallPolicyTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _time = new();

    private ClusterCallPolicy Policy(TimeSpan? attempt = null) => new(Budget, attempt ?? TimeSpan.FromSeconds(1), _time, randomizer: () => 0.5);

    /// <summary>Runs the policy's task while moving the fake clock on, as the delays and timeouts ask.</summary>
    private async Task<T> DriveAsync<T>(Task<T> task)
    {
        for (var i = 0; i < 10_000 && !task.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        return await task;
    }

    [Fact]
    public async Task A_silo_that_never_answers_ends_as_one_line_with_the_tries_made()
    {
        var calls = 0;
        var run = Policy().RunAsync<int>((_, _) =>
        {
            calls++;
            throw new Orleans.Runtime.Messaging.ConnectionFailedException(ClusterFailureTests.RejectionSeen);
        }, TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<ClusterUnavailableException>(() => DriveAsync(run));
        Assert.True(calls > 1, $"tried {calls} time(s)");
        Assert.Matches(@"^silo 127\.0\.0\.1:22002 did not answer \(crashed\?\); \d+ tries over [0-2]\.\d s$", e.Message);
        Assert.Contains($"{calls} tries", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_call_is_cut_at_the_attempt_timeout_and_tried_again()
    {
        var calls = 0;
        var run = Policy(TimeSpan.FromMilliseconds(500)).RunAsync<int>(async (_, ct) =>
        {
            calls++;
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, ct);
            return 1;
        }, TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<ClusterUnavailableException>(() => DriveAsync(run));
        Assert.True(calls >= 2, $"tried {calls} time(s)");
        Assert.StartsWith("no answer within 0.5 s (silo hung or overloaded?); ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_failures_then_success_return_the_value_and_the_tries()
    {
        var calls = 0;
        var run = Policy().RunAsync((attempt, _) =>
        {
            calls++;
            Assert.Equal(calls, attempt.Number);
            return calls < 3 ? throw new SiloUnavailableException("Silo S127.0.0.1:22004:9 is no longer active") : Task.FromResult("value");
        }, TestContext.Current.CancellationToken);

        var result = await DriveAsync(run);
        Assert.Equal("value", result.Value);
        Assert.Equal(3, result.Attempts);
        Assert.Null(result.Unavailable);
    }

    [Fact]
    public async Task The_silos_that_did_not_answer_are_passed_to_the_next_try()
    {
        var seen = new List<IReadOnlyList<string>>();
        var run = Policy().RunAsync((attempt, _) =>
        {
            seen.Add([.. attempt.UnreachableSilos]);
            return attempt.Number == 1 ? throw new Orleans.Runtime.Messaging.ConnectionFailedException(ClusterFailureTests.RejectionSeen) : Task.FromResult(0);
        }, TestContext.Current.CancellationToken);

        await DriveAsync(run);
        Assert.Equal([[], ["127.0.0.1:22002"]], seen);
    }

    [Fact]
    public async Task Other_failures_are_not_retried()
    {
        var calls = 0;
        var run = Policy().RunAsync<int>((_, _) =>
        {
            calls++;
            throw new P2PException("no overlay named 'x'");
        }, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<P2PException>(() => DriveAsync(run));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_peer_that_is_not_a_member_is_retried_only_when_another_initiator_can_be_picked()
    {
        var fixedInitiator = 0;
        await Assert.ThrowsAsync<PeerUnreachableException>(() => DriveAsync(Policy().RunAsync<int>((_, _) =>
        {
            fixedInitiator++;
            throw new PeerUnreachableException("not a member");
        }, TestContext.Current.CancellationToken)));
        Assert.Equal(1, fixedInitiator);

        var picked = 0;
        var result = await DriveAsync(Policy().RunAsync((attempt, _) =>
        {
            attempt.AnotherInitiatorHelps = true;
            return ++picked < 2 ? throw new PeerUnreachableException("not a member") : Task.FromResult(picked);
        }, TestContext.Current.CancellationToken));
        Assert.Equal(2, result.Value);
    }

    [Fact]
    public async Task An_unavailable_result_is_retried_and_returned_with_its_reason_when_the_budget_is_spent()
    {
        var calls = 0;
        var run = Policy().RunAsync((_, _) => Task.FromResult(++calls), TestContext.Current.CancellationToken,
            value => "the holders did not answer");

        var result = await DriveAsync(run);
        Assert.True(calls > 1);
        Assert.Equal(calls, result.Value);
        Assert.Equal("the holders did not answer", result.Unavailable);

        calls = 0;
        var recovered = await DriveAsync(Policy().RunAsync((_, _) => Task.FromResult(++calls), TestContext.Current.CancellationToken,
            value => value < 3 ? "not yet" : null));
        Assert.Equal(3, recovered.Value);
        Assert.Null(recovered.Unavailable);
    }

    [Fact]
    public async Task Cancelling_stops_the_retries()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;
        var run = Policy().RunAsync<int>((_, _) =>
        {
            if (++calls == 2)
            {
                cancel.Cancel();
            }

            throw new Orleans.Runtime.Messaging.ConnectionFailedException(ClusterFailureTests.RejectionSeen);
        }, cancel.Token);

        await Assert.ThrowsAnyAsync<Exception>(() => DriveAsync(run));
        Assert.Equal(2, calls);
    }
}
