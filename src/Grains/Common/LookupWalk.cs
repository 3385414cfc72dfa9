using System.Diagnostics;

namespace P2POrleans.Common;

/// <summary>
/// The bookkeeping of one lookup walked by its initiator, shared by the structured overlays
/// (docs/architecture.md, one lookup): the path (starting with the initiator), the simulated
/// latency, the messages sent, the peers found dead on the way (routed around) and one
/// "&lt;protocol&gt;.hop" span per peer asked, marked <c>p2p.hop.dead</c> when it did not answer. Each
/// protocol decides what a step asks and how the path grows; <see cref="AskAsync"/> does the rest.
/// </summary>
public sealed class LookupWalk
{
    private readonly string _protocol;

    /// <param name="protocol">Protocol name (span names and instruments).</param>
    /// <param name="key">The key looked up.</param>
    /// <param name="initiator">The peer that walks (the first hop of the path).</param>
    /// <param name="traced">Whether each peer asked gets a hop span (client lookups) or not (maintenance lookups).</param>
    /// <param name="kind">Lookup or maintenance traffic, for the message counters.</param>
    public LookupWalk(string protocol, NodeId key, NodeId initiator, bool traced = true, string kind = P2PTelemetry.LookupKind)
    {
        _protocol = protocol;
        Key = key;
        Initiator = initiator;
        Traced = traced;
        Kind = kind;
        Path = [new Hop(initiator, 0, "initiator")];
    }

    public NodeId Key { get; }

    public NodeId Initiator { get; }

    public bool Traced { get; }

    public string Kind { get; }

    /// <summary>The peers of the walk so far, the initiator first.</summary>
    public List<Hop> Path { get; }

    /// <summary>Peers that did not answer during this walk: every later step excludes them.</summary>
    public HashSet<NodeId> Dead { get; } = [];

    public double LatencyMs { get; set; }

    public int Messages { get; set; }

    public int DeadSkipped { get; set; }

    /// <summary>Of <see cref="Dead"/>, the peers whose silo did not answer (unreachable or timed out), as opposed to peers that said they are no member.</summary>
    public HashSet<NodeId> Unanswered { get; } = [];

    /// <summary>Successors of the key passed over for the owner because their silo did not answer (<see cref="LookupResult.OwnersUnanswered"/>).</summary>
    public int OwnersUnanswered { get; set; }

    /// <summary>
    /// Asks one peer as a hop of the walk at path position <paramref name="index"/>: one message of
    /// simulated round trip <paramref name="rttMs"/>, traced as a hop span. <paramref name="ask"/> sends
    /// it (through the call policy, which counts it and applies the forget rule). When it does not
    /// answer it is a dead hop: its span is marked and it joins <see cref="Dead"/>.
    /// </summary>
    public async Task<PeerCallResult<T>> AskAsync<T>(NodeId peer, string label, int index, double rttMs, Func<Task<PeerCallResult<T>>> ask)
    {
        ArgumentNullException.ThrowIfNull(ask);
        using var hop = Traced ? P2PTelemetry.StartHop(_protocol, index, label) : null;
        Messages++;
        LatencyMs += rttMs;
        var result = await ask();
        if (!result.Ok)
        {
            MarkDead(hop, peer, result.Fault);
        }

        return result;
    }

    /// <summary>A peer found dead outside <see cref="AskAsync"/>: excluded from now on and counted as skipped; its span (if any) marked.</summary>
    public void MarkDead(Activity? hop, NodeId peer, PeerFault fault = PeerFault.NotMember)
    {
        P2PTelemetry.MarkDeadHop(hop);
        DeadSkipped++;
        Dead.Add(peer);
        if (fault is PeerFault.SiloUnreachable or PeerFault.TimedOut)
        {
            Unanswered.Add(peer);
        }
    }

    /// <summary>The lookup found its owner; hops are the path without the initiator.</summary>
    public LookupResult Succeed(NodeId owner) =>
        new(Key, owner, Path.Count - 1, Path, LatencyMs, true, null, Messages, DeadSkipped) { OwnersUnanswered = OwnersUnanswered };

    public LookupResult Fail(string error) =>
        new(Key, NodeId.Zero, Path.Count - 1, Path, LatencyMs, false, error, Messages, DeadSkipped);
}
