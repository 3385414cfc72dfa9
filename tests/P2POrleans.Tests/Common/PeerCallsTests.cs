using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using P2POrleans.Chord;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Common;

/// <summary>
/// The call policy of the structured peers, driven with a fake network of peers that answer, throw
/// what Orleans throws for a crashed or unreachable silo, or never answer (a hung silo), and a fake
/// clock for the per-call timeout.
/// </summary>
public sealed class PeerCallsTests
{
    private static readonly NodeId A = NodeId.FromUInt64(1);
    private static readonly NodeId B = NodeId.FromUInt64(2);

    public interface IFakePeer
    {
        Task PingAsync();

        Task<int> AskAsync();
    }

    /// <summary>A remote peer: answers, throws, or hangs until released.</summary>
    private sealed class FakePeer(Func<Task<int>> behaviour) : IFakePeer
    {
        public int Calls { get; private set; }

        public Task PingAsync() => AskAsync();

        public Task<int> AskAsync()
        {
            Calls++;
            return behaviour();
        }
    }

    private sealed class FakeNode(bool durable, int callTimeoutMs = 0) : IPeerNode
    {
        public OverlayParameters Parameters { get; } = new ChordParameters { Durable = durable, CallTimeoutMs = callTimeoutMs };

        public List<string> Counted { get; } = [];

        public List<NodeId> Forgotten { get; } = [];

        public void CountMessage(string kind) => Counted.Add(kind);

        public void Forget(NodeId peer) => Forgotten.Add(peer);
    }

    private sealed class Harness
    {
        public Harness(bool durable, TimeSpan? timeout = null, int overlayTimeoutMs = 0)
        {
            Node = new FakeNode(durable, overlayTimeoutMs);
            Calls = new PeerCalls<IFakePeer>(Protocol, id => Peers[id], () => Caller, new PeerCallOptions { CallTimeout = timeout ?? TimeSpan.FromSeconds(2) }, Time);
            Caller = Node;
        }

        public string Protocol { get; } = "test-" + Guid.NewGuid().ToString("N");

        public FakeTimeProvider Time { get; } = new();

        public Dictionary<NodeId, FakePeer> Peers { get; } = [];

        public FakeNode Node { get; }

        public FakeNode? Caller { get; set; }

        public PeerCalls<IFakePeer> Calls { get; }
    }

    public static TheoryData<string, PeerFault> Failures() => new()
    {
        { "not a member", PeerFault.NotMember },
        { "silo declared dead", PeerFault.SiloUnreachable },
        { "connection refused", PeerFault.SiloUnreachable },
        { "wrapped silo failure", PeerFault.SiloUnreachable },
        { "Orleans response timeout", PeerFault.TimedOut },
    };

    private static Exception Make(string failure) => failure switch
    {
        "not a member" => new PeerUnreachableException("chord peer 01 of 'x' is not a member"),
        "silo declared dead" => new SiloUnavailableException("silo S127.0.0.1:11112 is dead"),
        "connection refused" => new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to S127.0.0.1:22002"),
        "wrapped silo failure" => new AggregateException(new SiloUnavailableException()),
        "Orleans response timeout" => new TimeoutException("Response did not arrive on time"),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failure_is_classified_and_a_volatile_caller_forgets_the_peer(string failure, PeerFault fault)
    {
        var h = new Harness(durable: false);
        h.Peers[A] = new FakePeer(() => Task.FromException<int>(Make(failure)));

        var result = await h.Calls.CallAsync(A, "ask", p => p.AskAsync());

        Assert.Equal(fault, result.Fault);
        Assert.False(result.Ok);
        Assert.True(result.Forgotten);
        Assert.Equal([A], h.Node.Forgotten);
        Assert.Equal(fault, Unreachable.Classify(Make(failure)));
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_durable_caller_forgets_only_a_peer_that_said_it_is_not_a_member(string failure, PeerFault fault)
    {
        var h = new Harness(durable: true);
        h.Peers[A] = new FakePeer(() => Task.FromException<int>(Make(failure)));

        var result = await h.Calls.CallAsync(A, "ask", p => p.AskAsync());

        // Either way the peer failed this call: the operation treats it as a dead hop.
        Assert.Equal(fault, result.Fault);
        Assert.Equal(fault == PeerFault.NotMember, result.Forgotten);
        Assert.Equal(fault == PeerFault.NotMember ? [A] : [], h.Node.Forgotten);
    }

    [Fact]
    public async Task Any_other_error_is_not_a_peer_failure_and_reaches_the_caller()
    {
        var h = new Harness(durable: false);
        h.Peers[A] = new FakePeer(() => Task.FromException<int>(new P2PException("key id does not fit in 8 bits")));

        var e = await Assert.ThrowsAsync<P2PException>(() => h.Calls.CallAsync(A, "ask", p => p.AskAsync()));

        Assert.Equal("key id does not fit in 8 bits", e.Message);
        Assert.Empty(h.Node.Forgotten);
        Assert.Equal(PeerFault.None, Unreachable.Classify(e));
    }

    [Fact]
    public async Task A_peer_that_never_answers_is_a_dead_hop_after_the_timeout_not_before()
    {
        var h = new Harness(durable: false, TimeSpan.FromSeconds(2));
        var hang = new TaskCompletionSource<int>();
        h.Peers[A] = new FakePeer(() => hang.Task);

        var call = h.Calls.CallAsync(A, "ask", p => p.AskAsync());
        h.Time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(call.IsCompleted);

        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await call;
        Assert.Equal(PeerFault.TimedOut, result.Fault);
        Assert.Equal([A], h.Node.Forgotten);

        // The abandoned call failing later changes nothing.
        hang.SetException(new SiloUnavailableException());
        Assert.Equal([A], h.Node.Forgotten);
    }

    [Fact]
    public async Task An_overlay_call_timeout_replaces_the_silos_so_a_slow_answer_is_not_a_dead_peer()
    {
        // The seeded experiments set 5 minutes (docs/experiments.md, "Determinism"): an answer 2 s
        // late on a loaded machine must not make the peer a dead hop or be forgotten.
        var h = new Harness(durable: false, TimeSpan.FromSeconds(2), overlayTimeoutMs: OverlayParameters.MaxCallTimeoutMs);
        Assert.Equal(TimeSpan.FromMinutes(5), h.Calls.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(10), h.Calls.TimeoutFor(1));
        var answer = new TaskCompletionSource<int>();
        h.Peers[A] = new FakePeer(() => answer.Task);

        var slow = h.Calls.CallAsync(A, "ask", p => p.AskAsync());
        h.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(slow.IsCompleted);
        answer.SetResult(7);
        Assert.Equal(7, (await slow).Value);
        Assert.Empty(h.Node.Forgotten);

        var hang = new TaskCompletionSource<int>();
        h.Peers[B] = new FakePeer(() => hang.Task);
        var hung = h.Calls.CallAsync(B, "ask", p => p.AskAsync());
        h.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(PeerFault.TimedOut, (await hung).Fault);
        Assert.Equal([B], h.Node.Forgotten);

        // A node that is no longer a member (null caller) falls back to the silo's timeout.
        h.Caller = null;
        Assert.Equal(TimeSpan.FromSeconds(2), h.Calls.Timeout);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(50, 0)]
    [InlineData(300_000, 0)]
    [InlineData(49, 1)]
    [InlineData(300_001, 1)]
    [InlineData(-1, 1)]
    public void An_overlay_call_timeout_is_0_or_between_50_ms_and_5_minutes(int ms, int problems) =>
        Assert.Equal(problems, new KelipsParameters { CallTimeoutMs = ms }.Validate().Count(p => p.Contains("call timeout", StringComparison.Ordinal)));

    [Fact]
    public async Task A_message_whose_handler_calls_on_gets_one_more_timeout_per_call()
    {
        var h = new Harness(durable: true, TimeSpan.FromSeconds(2));
        var answer = new TaskCompletionSource<int>();
        h.Peers[A] = new FakePeer(() => answer.Task);

        var call = h.Calls.CallAsync(A, "stabilize", p => p.AskAsync(), nested: 3);
        h.Time.Advance(TimeSpan.FromSeconds(7.9));
        Assert.False(call.IsCompleted);
        answer.SetResult(42);

        var result = await call;
        Assert.True(result.Ok);
        Assert.Equal(42, result.Value);
        Assert.Equal(TimeSpan.FromSeconds(8), h.Calls.TimeoutFor(3));

        var hang = new TaskCompletionSource<int>();
        h.Peers[B] = new FakePeer(() => hang.Task);
        var hung = h.Calls.CallAsync(B, "stabilize", p => p.AskAsync(), nested: 3);
        h.Time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(PeerFault.TimedOut, (await hung).Fault);

        // Durable: a peer that only timed out is kept.
        Assert.Empty(h.Node.Forgotten);
    }

    [Fact]
    public async Task Messages_are_counted_on_the_node_and_the_instrument_unless_the_caller_counts_them()
    {
        var h = new Harness(durable: false);
        h.Peers[A] = new FakePeer(() => Task.FromResult(1));
        h.Peers[B] = new FakePeer(() => Task.FromException<int>(new PeerUnreachableException()));
        var seen = new List<(string Kind, string Type)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == P2PTelemetry.Name && instrument.Name == "p2p.messages")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => (string?)p.Value);
            if (t["p2p.protocol"] == h.Protocol)
            {
                seen.Add((t["p2p.kind"]!, t["p2p.type"]!));
            }
        });
        listener.Start();

        Assert.True(await h.Calls.TryAsync(A, "ping", p => p.PingAsync()));
        Assert.True((await h.Calls.CallAsync(A, "find_next", p => p.AskAsync(), P2PTelemetry.LookupKind)).Ok);
        Assert.False(await h.Calls.TryAsync(B, "ping", p => p.PingAsync()));
        Assert.True(await h.Calls.TryAsync(A, null, p => p.PingAsync()));

        // A message is counted when sent, whether or not it is answered; an uncounted one is not.
        Assert.Equal([P2PTelemetry.MaintenanceKind, P2PTelemetry.LookupKind, P2PTelemetry.MaintenanceKind], h.Node.Counted);
        Assert.Equal([(P2PTelemetry.MaintenanceKind, "ping"), (P2PTelemetry.LookupKind, "find_next"), (P2PTelemetry.MaintenanceKind, "ping")], seen);
        Assert.Equal(3, h.Peers[A].Calls);
    }

    [Fact]
    public async Task A_caller_that_is_no_longer_a_member_counts_and_forgets_nothing_on_its_node()
    {
        var h = new Harness(durable: false);
        h.Peers[A] = new FakePeer(() => Task.FromException<int>(new SiloUnavailableException()));
        h.Caller = null; // it left: the grain dropped its node before the leave messages went out

        var result = await h.Calls.CallAsync(A, "leave", p => p.PingAsync());

        Assert.Equal(PeerFault.SiloUnreachable, result.Fault);
        Assert.True(result.Forgotten); // nothing to keep it for
        Assert.Empty(h.Node.Counted);
        Assert.Empty(h.Node.Forgotten);
    }

    [Fact]
    public void The_rule_and_the_words()
    {
        Assert.False(PeerCalls<IFakePeer>.ShouldForget(PeerFault.None, durable: false));
        Assert.True(PeerCalls<IFakePeer>.ShouldForget(PeerFault.NotMember, durable: true));
        Assert.False(PeerCalls<IFakePeer>.ShouldForget(PeerFault.SiloUnreachable, durable: true));
        Assert.False(PeerCalls<IFakePeer>.ShouldForget(PeerFault.TimedOut, durable: true));
        Assert.True(PeerCalls<IFakePeer>.ShouldForget(PeerFault.TimedOut, durable: false));
        Assert.Equal("no answer within 2 s", Unreachable.Describe(PeerFault.TimedOut, TimeSpan.FromSeconds(2)));
        Assert.Equal("no answer within 250 ms", Unreachable.Describe(PeerFault.TimedOut, TimeSpan.FromMilliseconds(250)));
        Assert.Equal("its silo is unreachable", Unreachable.Describe(PeerFault.SiloUnreachable, TimeSpan.FromSeconds(2)));
        Assert.Empty(new PeerCallOptions().Validate());
        Assert.Single(new PeerCallOptions { CallTimeout = TimeSpan.FromMilliseconds(10) }.Validate());
    }
}
