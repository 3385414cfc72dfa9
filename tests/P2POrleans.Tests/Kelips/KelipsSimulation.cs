using P2POrleans.Common;
using P2POrleans.Kelips;
using P2POrleans.Kelips.Gossip;

namespace P2POrleans.Tests.Kelips;

/// <summary>
/// A pure, in-memory, stepped-clock Kelips network for tests: peers at seeded points of a plane
/// (RTT = distance), every live peer runs one round per step, messages are delivered at the end of
/// the round. Gossip to a dead peer is lost silently (gossip is fire-and-forget, section 2.1), so
/// failures are only detected by heartbeat timeouts; lookups, which are calls, report dead peers.
/// </summary>
internal sealed class KelipsSimulation
{
    private readonly Dictionary<NodeId, (double X, double Y)> _positions = [];
    private readonly Random _random;

    public KelipsSimulation(int peers, KelipsOptions options, int seed)
    {
        Options = options;
        _random = new Random(seed);
        for (var i = 0; i < peers; i++)
        {
            var id = IdSpace.Sha1.Hash($"10.0.{i / 256}.{i % 256}:4000/0");
            _positions[id] = (_random.NextDouble() * 100, _random.NextDouble() * 100);
            var peer = new KelipsSoftState(id, options, Rtt, new Random(_random.Next()), Round);
            if (Peers.Count > 0)
            {
                Join(peer, Peers.Keys.ElementAt(_random.Next(Peers.Count)));
            }

            Peers[id] = peer;
        }
    }

    public KelipsOptions Options { get; }

    public Dictionary<NodeId, KelipsSoftState> Peers { get; } = [];

    public HashSet<NodeId> Dead { get; } = [];

    public IEnumerable<KelipsSoftState> Live => Peers.Values.Where(p => !Dead.Contains(p.Self));

    public IReadOnlyList<NodeId> LiveIds => [.. Live.Select(p => p.Self)];

    public long Round { get; private set; }

    /// <summary>
    /// As the grain does (gossip is a call there): a gossip message to a dead peer fails and the
    /// sender reports the target unreachable. Off by default: gossip is lost silently.
    /// </summary>
    public bool ReportDeadGossipTargets { get; init; }

    public long Messages { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Largest number of messages and bytes any one peer sent in any one round.</summary>
    public (int Messages, int Bytes) MaxPerPeerRound { get; private set; }

    public double Rtt(NodeId a, NodeId b)
    {
        var (pa, pb) = (_positions[a], _positions[b]);
        return Math.Sqrt(((pa.X - pb.X) * (pa.X - pb.X)) + ((pa.Y - pb.Y) * (pa.Y - pb.Y))) + 1;
    }

    public void Step()
    {
        Round++;
        foreach (var peer in Live)
        {
            if (peer.RejoinTarget() is { } target)
            {
                Join(peer, target);
            }
        }

        var outbox = new List<GossipSend>();
        foreach (var peer in Live)
        {
            var sends = peer.Step(Round);
            var bytes = sends.Sum(s => s.Bytes);
            MaxPerPeerRound = (Math.Max(MaxPerPeerRound.Messages, sends.Count), Math.Max(MaxPerPeerRound.Bytes, bytes));
            Messages += sends.Count;
            Bytes += bytes;
            outbox.AddRange(sends);
        }

        Deliver(outbox);
    }

    public void Deliver(IEnumerable<GossipSend> sends)
    {
        foreach (var send in sends)
        {
            if (!Dead.Contains(send.Target))
            {
                Peers[send.Target].Receive(send.Message, Round);
            }
            else if (ReportDeadGossipTargets && !Dead.Contains(send.Message.Sender))
            {
                Peers[send.Message.Sender].ReportUnreachable(send.Target, Round);
            }
        }
    }

    /// <summary>Steps until <paramref name="done"/> holds; returns the rounds taken, or -1 after <paramref name="max"/>.</summary>
    public int StepUntil(Func<bool> done, int max)
    {
        for (var i = 0; i < max; i++)
        {
            if (done())
            {
                return i;
            }

            Step();
        }

        return done() ? max : -1;
    }

    public bool ViewsComplete() =>
        Live.GroupBy(p => p.Group).All(g => g.All(p => g.All(mate => p.View.Contains(mate.Self))));

    public KelipsSoftState RandomLivePeer()
    {
        var live = LiveIds;
        return Peers[live[_random.Next(live.Count)]];
    }

    public void Insert(KelipsSoftState home, string fileName) => Deliver(home.Insert(fileName, Round));

    /// <summary>A new peer at a seeded point joins through a random live peer (section 2).</summary>
    public KelipsSoftState Add(NodeId id, NodeId? bootstrap = null)
    {
        _positions[id] = (_random.NextDouble() * 100, _random.NextDouble() * 100);
        var peer = new KelipsSoftState(id, Options, Rtt, new Random(_random.Next()), Round);
        Join(peer, bootstrap ?? RandomLivePeer().Self);
        Peers[id] = peer;
        return peer;
    }

    public void Fail(double fraction)
    {
        var live = LiveIds.ToList();
        var count = (int)(live.Count * fraction);
        for (var i = 0; i < count; i++)
        {
            var victim = live[_random.Next(live.Count)];
            live.Remove(victim);
            Dead.Add(victim);
        }
    }

    /// <summary>
    /// Executes a lookup plan as the grain will (section 2.2): contacts in order, one hop each;
    /// then group mates asked for their contacts. Returns the home node found and the hops used.
    /// </summary>
    public (FileTuple? Answer, int Hops) Lookup(KelipsSoftState from, string fileName)
    {
        var plan = from.PlanLookup(fileName);
        if (plan.IsLocal)
        {
            return (plan.LocalAnswer, 0);
        }

        var hops = 0;
        var tried = new HashSet<NodeId>();
        FileTuple? Ask(NodeId contact)
        {
            if (!tried.Add(contact))
            {
                return null;
            }

            hops++;
            if (Dead.Contains(contact))
            {
                from.ReportUnreachable(contact, Round);
                return null;
            }

            return Peers[contact].AnswerLookup(fileName);
        }

        foreach (var contact in plan.Contacts)
        {
            if (Ask(contact) is { } answer)
            {
                return (answer, hops);
            }
        }

        foreach (var mate in plan.FallbackMembers)
        {
            hops++;
            if (Dead.Contains(mate))
            {
                from.ReportUnreachable(mate, Round);
                continue;
            }

            foreach (var contact in Peers[mate].ContactsFor(plan.FileGroup))
            {
                if (Ask(contact) is { } answer)
                {
                    return (answer, hops);
                }
            }
        }

        return (null, hops);
    }

    /// <summary>
    /// A lookup walked as the grain walks it (section 2.2): the contacts in the file's group in
    /// order, then group mates (a dead one does not use up the MaxFallbackMembers budget) asked for
    /// their contacts there. PathLength is the route to the answer (0 local, 1 through an own
    /// contact, 2 through a group mate's contact); Messages counts every peer asked.
    /// </summary>
    public SimulatedLookup Walk(KelipsSoftState from, string fileName)
    {
        var plan = from.PlanLookup(fileName);
        if (plan.IsLocal)
        {
            return new SimulatedLookup(plan.LocalAnswer, 0, 0, 0);
        }

        var messages = 0;
        var dead = 0;
        var tried = new HashSet<NodeId> { from.Self };
        FileTuple? Ask(NodeId contact)
        {
            if (!tried.Add(contact))
            {
                return null;
            }

            messages++;
            if (Dead.Contains(contact))
            {
                dead++;
                from.ReportUnreachable(contact, Round);
                return null;
            }

            return Peers[contact].AnswerLookup(fileName);
        }

        foreach (var contact in plan.Contacts)
        {
            if (Ask(contact) is { } answer)
            {
                return new SimulatedLookup(answer, 1, messages, dead);
            }
        }

        var answered = 0;
        foreach (var mate in plan.FallbackMembers.Concat(from.View.OthersByRtt().Select(e => e.Id)).ToList())
        {
            if (answered >= Options.MaxFallbackMembers || !tried.Add(mate))
            {
                continue;
            }

            messages++;
            if (Dead.Contains(mate))
            {
                dead++;
                from.ReportUnreachable(mate, Round);
                continue;
            }

            answered++;
            foreach (var contact in Peers[mate].ContactsFor(plan.FileGroup))
            {
                if (Ask(contact) is { } answer)
                {
                    return new SimulatedLookup(answer, 2, messages, dead);
                }
            }
        }

        return new SimulatedLookup(null, 0, messages, dead);
    }

    // As the grain's join (KelipsMaintenance.JoinThroughAsync): the bootstrap, the group mates it
    // named until one answers, then again through the nearest contacts until the group is met.
    private void Join(KelipsSoftState newcomer, NodeId bootstrapId)
    {
        var tried = new HashSet<NodeId> { bootstrapId };
        JoinOnce(newcomer, bootstrapId);
        for (var attempt = 1; attempt < Options.JoinAttempts && newcomer.RejoinTarget(tried) is { } next; attempt++)
        {
            tried.Add(next);
            JoinOnce(newcomer, next);
        }
    }

    private void JoinOnce(KelipsSoftState newcomer, NodeId bootstrapId)
    {
        if (Dead.Contains(bootstrapId))
        {
            newcomer.ReportUnreachable(bootstrapId, Round);
            return;
        }

        var self = new MemberEntry(newcomer.Self, newcomer.View.OwnHeartbeat);
        var snapshot = Peers[bootstrapId].AcceptJoin(self, Round);
        newcomer.ApplyJoin(snapshot, Round);
        foreach (var mate in KelipsJoin.GroupBootstraps(newcomer, snapshot))
        {
            if (!Dead.Contains(mate))
            {
                newcomer.ApplyJoin(Peers[mate].AcceptJoin(self, Round), Round);
                break;
            }

            // As the grain: a dead peer does not answer; the newcomer forgets it and asks the next.
            newcomer.ReportUnreachable(mate, Round);
        }
    }
}
