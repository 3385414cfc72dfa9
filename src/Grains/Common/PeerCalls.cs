namespace P2POrleans.Common;

/// <summary>
/// The one call policy of the structured peers (Chord, Pastry, Kelips; docs/architecture.md, peer
/// calls). Every protocol message one peer sends another goes through it:
/// <list type="bullet">
/// <item>it is counted (the node's counter and the <c>p2p.messages</c> instrument), unless the caller counts it itself;</item>
/// <item>it waits at most the per-call timeout (the overlay's <see cref="OverlayParameters.CallTimeoutMs"/>, else the
/// silo's <see cref="PeerCallOptions.CallTimeout"/>), plus one timeout per
/// further call the message's handler may make, so a hung silo costs an operation seconds, not Orleans'
/// response timeout;</item>
/// <item>a failure is classified (<see cref="Unreachable.Classify"/>): the peer said it is not a member
/// (gone), or its silo did not answer (refused, declared dead, rejected, timed out);</item>
/// <item>any failure makes the peer a dead hop for the current operation (the caller routes around it,
/// as around a crashed peer), and the calling node forgets it for good when <see cref="ShouldForget"/>
/// says so: when it is gone, or when the overlay is volatile. A durable overlay keeps a peer whose
/// silo merely did not answer: it comes back on another silo with its state once membership declares
/// the silo dead.</item>
/// </list>
/// Any other exception (a refused request, a bug) propagates unchanged.
/// </summary>
/// <typeparam name="TPeer">The protocol's peer grain interface.</typeparam>
public sealed class PeerCalls<TPeer>
    where TPeer : class
{
    private readonly string _protocol;
    private readonly Func<NodeId, TPeer> _resolve;
    private readonly Func<IPeerNode?> _caller;
    private readonly TimeProvider _time;
    private readonly TimeSpan _siloTimeout;

    /// <param name="protocol">Protocol name, for the message instrument.</param>
    /// <param name="resolve">The peer grain (or, in tests, any object) of an id.</param>
    /// <param name="caller">The calling node now: null once it failed, left or stopped (nothing is then counted on it or forgotten by it).</param>
    /// <param name="options">The per-call timeout.</param>
    /// <param name="time">The clock of the timeouts.</param>
    public PeerCalls(string protocol, Func<NodeId, TPeer> resolve, Func<IPeerNode?> caller, PeerCallOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _protocol = protocol;
        _resolve = resolve;
        _caller = caller;
        _time = time;
        _siloTimeout = options.CallTimeout;
    }

    /// <summary>
    /// The per-call timeout of a message whose handler makes no further peer calls: the calling
    /// node's overlay's when it sets one, else the silo's.
    /// </summary>
    public TimeSpan Timeout => _caller()?.Parameters.CallTimeoutMs is int ms and > 0 ? TimeSpan.FromMilliseconds(ms) : _siloTimeout;

    public TPeer Peer(NodeId id) => _resolve(id);

    /// <summary>The rule: a peer that said it is not a member is forgotten; one whose silo did not answer only in a volatile overlay.</summary>
    public static bool ShouldForget(PeerFault fault, bool durable) => fault switch
    {
        PeerFault.None => false,
        PeerFault.NotMember => true,
        _ => !durable,
    };

    /// <summary>Counts one message of the calling node (node counter and instrument).</summary>
    public void Count(string kind, string type)
    {
        _caller()?.CountMessage(kind);
        P2PTelemetry.CountMessage(_protocol, kind, type);
    }

    /// <summary>The timeout of a message whose handler may make <paramref name="nested"/> sequential peer calls of its own.</summary>
    public TimeSpan TimeoutFor(int nested)
    {
        var timeout = Timeout;
        return timeout == System.Threading.Timeout.InfiniteTimeSpan ? timeout : timeout * (1 + Math.Max(0, nested));
    }

    /// <summary>Sends one message; see the class summary.</summary>
    /// <param name="peer">The peer called.</param>
    /// <param name="type">Message type for the counters; null when the caller counts the message itself.</param>
    /// <param name="call">The grain call.</param>
    /// <param name="kind">Lookup or maintenance traffic.</param>
    /// <param name="nested">Sequential peer calls the handler may make (each gets a timeout of its own).</param>
    public async Task<PeerCallResult> CallAsync(NodeId peer, string? type, Func<TPeer, Task> call, string kind = P2PTelemetry.MaintenanceKind, int nested = 0)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (type is not null)
        {
            Count(kind, type);
        }

        var task = call(_resolve(peer));
        try
        {
            await WithTimeout(task, nested);
            return PeerCallResult.Answered;
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            ObserveAbandoned(task, e);
            return Failed(peer, e);
        }
    }

    /// <summary>Sends one message that answers a value; see the class summary.</summary>
    public async Task<PeerCallResult<T>> CallAsync<T>(NodeId peer, string? type, Func<TPeer, Task<T>> call, string kind = P2PTelemetry.MaintenanceKind, int nested = 0)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (type is not null)
        {
            Count(kind, type);
        }

        var task = call(_resolve(peer));
        try
        {
            var value = await WithTimeout(task, nested);
            return new PeerCallResult<T>(PeerFault.None, false, value);
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            ObserveAbandoned(task, e);
            var failed = Failed(peer, e);
            return new PeerCallResult<T>(failed.Fault, failed.Forgotten, default);
        }
    }

    /// <summary>True when the message answered (a failure is handled as in <see cref="CallAsync"/>).</summary>
    public async Task<bool> TryAsync(NodeId peer, string? type, Func<TPeer, Task> call, string kind = P2PTelemetry.MaintenanceKind, int nested = 0) =>
        (await CallAsync(peer, type, call, kind, nested)).Ok;

    /// <summary>
    /// Applies the rule to a failure the caller caught itself (a call made outside this policy):
    /// classifies it and, when <see cref="ShouldForget"/> says so, has the calling node forget the peer.
    /// </summary>
    public PeerCallResult Failed(NodeId peer, Exception e)
    {
        var fault = Unreachable.Classify(e);
        if (fault == PeerFault.None)
        {
            throw new ArgumentException("not a peer failure", nameof(e), e);
        }

        if (_caller() is not { } node || !ShouldForget(fault, node.Parameters.IsDurable))
        {
            // A caller that is no longer a member forgets nothing; to the operation, the peer is still a dead hop.
            return new PeerCallResult(fault, _caller() is null);
        }

        node.Forget(peer);
        return new PeerCallResult(fault, true);
    }

    /// <summary>
    /// A call given up at the timeout still runs (Orleans completes it when the answer or its own
    /// response timeout comes): its eventual failure is observed here, not left to the finalizer.
    /// </summary>
    private static void ObserveAbandoned(Task task, Exception e)
    {
        if (e is TimeoutException && !task.IsCompleted)
        {
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private Task WithTimeout(Task task, int nested)
    {
        var timeout = TimeoutFor(nested);
        return task.IsCompleted || timeout == System.Threading.Timeout.InfiniteTimeSpan ? task : task.WaitAsync(timeout, _time);
    }

    private Task<T> WithTimeout<T>(Task<T> task, int nested)
    {
        var timeout = TimeoutFor(nested);
        return task.IsCompleted || timeout == System.Threading.Timeout.InfiniteTimeSpan ? task : task.WaitAsync(timeout, _time);
    }
}
