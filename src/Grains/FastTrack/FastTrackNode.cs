using P2POrleans.Common;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.FastTrack;

/// <summary>
/// One FastTrack peer's state and rules (docs/fasttrack.md). Ordinary: its files, its reputation
/// (time connected, bytes uploaded) and the supernode it is attached to, chosen by RTT. Supernode
/// (promoted once its reputation passes the threshold): a <see cref="SupernodeDirectory"/> of its
/// children's files and a <see cref="Servent"/> over the supernode overlay, whose Queries follow the
/// Gnutella rules. No Orleans types: <see cref="FastTrackPeerGrain"/> holds one and sends what it needs.
/// </summary>
public sealed class FastTrackNode
{
    private static readonly DescriptorCounts ListUpload = new(0, 0, 0, 1, 0);
    private static readonly DescriptorCounts ChildSearch = new(0, 0, 0, 1, 1); // the child's search and the answer
    private readonly Dictionary<int, ServentIdentity> _children = [];

    public FastTrackNode(int node, FastTrackSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Node = node;
        Parameters = setup.Parameters;
        Identity = UnstructuredWorld.Identity(Parameters.Seed, node);
        Library = new SharedLibrary(setup.Files);
        Reputation = new Reputation(new ReputationPolicy { PromotionThreshold = Parameters.SupernodeThreshold, DemotionThreshold = Parameters.DemotionThreshold });
        Reputation.Connect(-TimeSpan.FromHours(setup.UptimeHours)); // it has been online that long when the overlay starts
        Reputation.RecordUpload(setup.BytesUploaded);
    }

    public int Node { get; }

    public FastTrackParameters Parameters { get; }

    public ServentIdentity Identity { get; }

    public SharedLibrary Library { get; private set; }

    public Reputation Reputation { get; }

    /// <summary>Simulated time: the last round of the stepped clock this peer saw.</summary>
    public TimeSpan Now { get; private set; }

    /// <summary>The supernode an ordinary peer is attached to; null while it has none (and for a supernode).</summary>
    public int? Supernode { get; private set; }

    /// <summary>Set while this peer is a supernode.</summary>
    public SupernodeDirectory? Directory { get; private set; }

    /// <summary>The supernode's routing over the supernode overlay; set while this peer is a supernode.</summary>
    public Servent? Servent { get; private set; }

    public bool IsSupernode => Servent is not null;

    public IReadOnlyCollection<int> Children => _children.Keys;

    /// <summary>Messages an ordinary peer sent its supernodes (file-list uploads).</summary>
    public DescriptorCounts ChildMessages { get; private set; } = DescriptorCounts.Zero;

    /// <summary>FastTrack peers accept connections: the ping answers with the speed only.</summary>
    public PeerProbe Probe => new(Identity.Speed, false);

    public bool WantsPromotion => Reputation.Score(Now) >= Parameters.SupernodeThreshold;

    /// <summary>A round of the stepped clock: promote when the reputation passes the threshold, else attach if detached.</summary>
    public FastTrackStep Tick(long round)
    {
        Now = TimeSpan.FromSeconds(round * (double)Parameters.RoundSeconds);
        if (!IsSupernode && Reputation.Evaluate(Now) == RoleChange.Promoted)
        {
            return FastTrackStep.Promote;
        }

        return !IsSupernode && Supernode is null ? FastTrackStep.Attach : FastTrackStep.None;
    }

    /// <summary>
    /// Becomes a supernode: indexes its own files (a directory with room for its children and
    /// itself) and routes with the overlay's servent options. Returns the supernode it leaves, if any.
    /// </summary>
    public int? Promote()
    {
        Reputation.Evaluate(Now);
        Directory = new SupernodeDirectory(Parameters.MaxChildren + 1);
        Directory.AddChild(Identity, Library.Files); // a supernode indexes its own files too
        Servent = new Servent(Identity, Directory, ServentOptions.For(Parameters), SeededRandom.Create(Parameters.Seed, "descriptors", UnstructuredNodes.IdOf(Node)));
        var old = Supernode;
        Supernode = null;
        return old;
    }

    /// <summary>The known supernodes a new supernode links to: a random <see cref="FastTrackParameters.SupernodeDegree"/> of them, from its own seeded stream.</summary>
    public IReadOnlyList<int> SupernodeLinks(IEnumerable<int> known)
    {
        var random = SeededRandom.Create(Parameters.Seed, "supernode-links", UnstructuredNodes.IdOf(Node));
        return known.Where(s => s != Node).ToList().OrderBy(_ => random.Next()).Take(Parameters.SupernodeDegree).Order().ToList();
    }

    public void Link(int supernode) => Servent?.AddNeighbour(UnstructuredNodes.EndpointOf(supernode));

    public void Unlink(int supernode) => Servent?.RemoveNeighbour(UnstructuredNodes.EndpointOf(supernode));

    public IEnumerable<int> SupernodeNeighbours => Servent?.Neighbours.Select(UnstructuredNodes.NodeOf) ?? [];

    /// <summary>The closest supernode by RTT (network model) not yet refused; false when none is left.</summary>
    public bool TryChooseSupernode(IEnumerable<int> candidates, IReadOnlySet<int> refused, out int chosen)
    {
        var network = new NetworkModel(Parameters.Seed);
        return SupernodeSelector.TryChooseClosest(
            candidates.Where(s => s != Node).ToList(),
            s => TimeSpan.FromMilliseconds(network.Rtt(UnstructuredNodes.IdOf(Node), UnstructuredNodes.IdOf(s))),
            out chosen,
            s => !refused.Contains(s));
    }

    /// <summary>A supernode took this peer's file list.</summary>
    public void Attached(int supernode)
    {
        Supernode = supernode;
        ChildMessages += ListUpload;
    }

    /// <summary>The supernode is gone (left, or found dead): true when it was this peer's.</summary>
    public bool Detach(int supernode)
    {
        if (Supernode != supernode)
        {
            return false;
        }

        Supernode = null;
        return true;
    }

    /// <summary>Shares one more file; a supernode re-indexes its own list at once (an ordinary peer uploads it to its supernode).</summary>
    public SharedFile Share(string name, uint size)
    {
        var (library, file) = Library.With(name, size);
        Library = library;
        Directory?.AddChild(Identity, Library.Files);
        return file;
    }

    /// <summary>Sends a file to a requester; uploads raise reputation.</summary>
    public SharedFile Upload(uint fileIndex)
    {
        var file = Library.Find(fileIndex) ?? throw new P2PException($"peer {Node} has no file {fileIndex}");
        Reputation.RecordUpload(file.Size);
        return file;
    }

    /// <summary>A child uploads its list (again); false when this is no supernode, the child is itself, or the directory is full.</summary>
    public bool AddChild(int child, ServentIdentity identity, IReadOnlyList<SharedFile> files)
    {
        if (Directory is not { } directory || child == Node || !directory.AddChild(identity, files))
        {
            return false;
        }

        _children[child] = identity;
        return true;
    }

    public void RemoveChild(int child)
    {
        if (Directory is { } directory && _children.Remove(child, out var identity))
        {
            directory.RemoveChild(identity.Endpoint);
        }
    }

    /// <summary>What the supernode's own index holds for a search (the requester's own files left out).</summary>
    public IReadOnlyList<FoundFile> LocalHits(string text, int requester)
    {
        var directory = Directory ?? throw new InvalidOperationException("only a supernode has a directory");
        return directory.Answer(new Query(0, text), UnstructuredNodes.EndpointOf(requester))
            .SelectMany(hit => hit.Results.Select(r => new FoundFile(UnstructuredNodes.NodeOf(hit.Endpoint), hit.Endpoint,
                new SharedFile(r.FileIndex, r.FileSize, r.FileName), hit.ServentId, hit.Speed, requester == Node ? [Node] : [Node, requester])))
            .ToList();
    }

    /// <summary>
    /// A search for <paramref name="requester"/> (this supernode or one of its children): the local
    /// hits, then those the flood over the supernode overlay brought back (each path extended to the child).
    /// </summary>
    public QueryOutcome SearchOutcome(string text, int ttl, int requester, IReadOnlyList<FoundFile> local, FloodSummary flood)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(flood);
        var remote = FloodRunner.HitsAt(Node, flood.Delivered)
            .Where(h => h.Node != requester)
            .Select(h => h with { PathBack = requester == Node ? h.PathBack : h.PathBack.Append(requester).ToList() });
        var hits = local.Concat(remote).ToList();
        var childLeg = requester == Node ? DescriptorCounts.Zero : ChildSearch;
        var reached = flood.Reached.Append(requester).Distinct().Order().ToList();
        return new QueryOutcome(FastTrackParameters.Name, text, requester, ttl, hits, reached, flood.Sent + childLeg,
            hits.Count > 0 ? hits.Min(h => h.PathBack.Count) - 1 : null, null) { Waves = flood.Waves };
    }

    /// <summary>The peer leaves: its session ends and a supernode is demoted.</summary>
    public void Leave() => Reputation.Leave();

    /// <summary>How a supernode's view names its role (followed by its number of children).</summary>
    public const string SupernodeRole = "supernode";

    public UnstructuredPeerView View(long rejected)
    {
        IReadOnlyList<int> links = Servent is not null
            ? SupernodeNeighbours.Order().ToList()
            : Supernode is { } sn ? [sn] : [];
        return new UnstructuredPeerView(Node, Identity.Endpoint, Servent is null ? "ordinary" : $"{SupernodeRole} ({_children.Count} children)",
            Library.Files.Count, links, false,
            (Servent is null ? DescriptorCounts.Zero : CountsOf.Sent(Servent.Counters)) + ChildMessages,
            Servent is null ? DescriptorCounts.Zero : CountsOf.Received(Servent.Counters),
            Servent?.Counters.Duplicates ?? 0, rejected, Math.Round(Reputation.Score(Now), 2));
    }
}
