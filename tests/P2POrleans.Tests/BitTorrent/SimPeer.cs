using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Choking;
using P2POrleans.BitTorrent.PiecePicking;
using P2POrleans.BitTorrent.Storage;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>One peer of <see cref="MiniSwarm"/>: the pure BitTorrent parts wired together as a swarm-member grain would.</summary>
internal sealed class SimPeer
{
    public SimPeer(PeerId id, PieceStore store, PiecePolicy policy, ChokerOptions choking, int seed)
    {
        Id = id;
        Store = store;
        Availability = new Availability(store.Metainfo.PieceCount);
        var requests = new PieceRequests(store.Layout, store.Have);
        var random = new Random(seed);
        Requester = new PieceRequester(requests, Availability, PiecePickers.Create(policy, requests, Availability, random), pipelineDepth: 5);
        Choker = new Choker(choking, new Random(seed + 1));
    }

    public PeerId Id { get; }

    public PieceStore Store { get; }

    public Availability Availability { get; }

    public PieceRequester Requester { get; }

    public Choker Choker { get; }

    public Dictionary<PeerId, RateEstimator> Down { get; } = [];

    public Dictionary<PeerId, RateEstimator> Up { get; } = [];

    /// <summary>Peers currently choking us.</summary>
    public HashSet<PeerId> ChokedBy { get; } = [];

    /// <summary>Peers interested in us.</summary>
    public HashSet<PeerId> InterestedInMe { get; } = [];

    /// <summary>Requests each peer sent us, not yet served.</summary>
    public Dictionary<PeerId, List<BlockRequest>> Queue { get; } = [];

    public long Uploaded { get; set; }

    public int HashFailures { get; set; }

    public List<ChokerPeer> ChokerView(double now) =>
        [.. Down.Keys.Select(other => new ChokerPeer(
            other,
            InterestedInMe.Contains(other),
            Down[other].Rate(now),
            Up[other].Rate(now),
            Down[other].LastDataAt ?? 0))];
}
