using P2POrleans.BitTorrent.Torrent;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// Rebuilds a swarm's driver after the silo it lived on died (docs/bittorrent.md, "When the driver's silo
/// dies"). Nothing of the driver is stored: its parameters come from the overlay registry (restored
/// from the replica every silo keeps), its plan (members, roles, arrival ticks) is a function of the
/// parameters, and the rest is asked of the members themselves — those the registry lists answer with
/// the pieces they hold and the next tick they have not run. A member that arrived but is not live any
/// more (it left, or died with a silo) counts as gone: what it did before is not recounted, and the
/// per-tick history starts again. The content is generated again from the seed; a swarm made from a
/// real file or a foreign .torrent keeps its torrent (from a member) but not the file's bytes, which
/// only seeds that start later would read (none do: seeds start with the swarm).
/// </summary>
public sealed record SwarmRestore(SwarmCensus Census, long Tick, byte[] Torrent, Metainfo Metainfo, byte[]? Content, bool WasOnWire)
{
    private const int Parallelism = 64;

    /// <summary>How long one member is given to answer before it counts as gone (its silo may be dying too).</summary>
    public static readonly TimeSpan MemberTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The driver's state as the live members tell it, or null when no member is live and the content cannot be made again.</summary>
    public static async Task<SwarmRestore?> RestoreAsync(IGrainFactory grains, string name, SwarmParameters parameters, IReadOnlyCollection<NodeId> registered)
    {
        var synthetic = !parameters.FromFile && !parameters.FromTorrent;
        var content = synthetic ? SwarmContent.Generate(parameters.Seed, parameters.FileSize) : null;
        var live = registered.ToHashSet();
        var snapshots = new Dictionary<PeerId, SwarmMemberSnapshot>();
        byte[]? torrent = null;

        // The plan needs the piece count, which is the torrent's: ask one live member for it (made again
        // from the content when none answers), then every registered member for its state.
        var plan = SwarmPlan.Create(parameters, 0).Where(m => live.Contains(SwarmKeys.MemberId(m.Peer))).ToList();
        foreach (var m in plan)
        {
            if (await SnapshotAsync(grains, name, m.Peer, withTorrent: true) is { } first)
            {
                torrent = first.Torrent;
                snapshots[m.Peer] = first;
                break;
            }
        }

        if (torrent is null)
        {
            if (content is null)
            {
                return null;
            }

            torrent = Metainfo.Create(parameters.FileName, content, SwarmContent.Announce(name, parameters), parameters.PieceLength).ToTorrentBytes();
        }

        var metainfo = Metainfo.Parse(torrent);
        var members = SwarmPlan.Create(parameters, metainfo.PieceCount);
        var asked = members.Where(m => live.Contains(SwarmKeys.MemberId(m.Peer)) && !snapshots.ContainsKey(m.Peer)).ToList();
        var answers = new SwarmMemberSnapshot?[asked.Count];
        await Concurrently.ForEachAsync(Enumerable.Range(0, asked.Count), Parallelism, async i => answers[i] = await SnapshotAsync(grains, name, asked[i].Peer, withTorrent: false));
        foreach (var answer in answers.OfType<SwarmMemberSnapshot>())
        {
            snapshots[answer.Peer] = answer;
        }

        var census = new SwarmCensus(members, metainfo.PieceCount);
        var tick = snapshots.Count == 0 ? 0 : snapshots.Values.Max(s => s.NextTick);
        foreach (var m in members)
        {
            if (snapshots.TryGetValue(m.Peer, out var s))
            {
                census.Restored(m, BitField.FromBytes(s.Have, metainfo.PieceCount), s.CompletedAt, s.NeedsPeers);
            }
            else if (m.ArrivalTick < tick || live.Contains(SwarmKeys.MemberId(m.Peer)))
            {
                SwarmCensus.Lost(m);
            }
        }

        return new SwarmRestore(census, tick, torrent, metainfo, content, snapshots.Values.Any(s => s.OnWire));
    }

    private static async Task<SwarmMemberSnapshot?> SnapshotAsync(IGrainFactory grains, string name, PeerId peer, bool withTorrent)
    {
        try
        {
            return await SwarmKeys.Member(grains, name, peer).SnapshotAsync(withTorrent).WaitAsync(MemberTimeout);
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            return null; // it died (with the driver's silo, most likely): gone
        }
    }
}
