using P2POrleans.BitTorrent.Messages;
using P2POrleans.BitTorrent.Storage;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>What <see cref="SwarmPeerGrain"/> builds from a member without grain state: the engine, its status and its tick report.</summary>
internal static class SwarmPeerSupport
{
    /// <summary>The engine of one member, its pickers and choker seeded from the swarm's seed and the member's id.</summary>
    public static SwarmMember CreateEngine(SwarmPeerConfig config, PieceStore store, Func<PeerId, double> rttMs, LinkModel? link)
    {
        var parameters = config.Parameters;
        var selfId = SwarmKeys.MemberId(config.Peer);
        return new SwarmMember(
            config.Peer,
            config.Behaviour,
            parameters,
            store,
            SeededRandom.Create(parameters.Seed, "bt-picker", selfId),
            SeededRandom.Create(parameters.Seed, "bt-choker", selfId),
            rttMs,
            link);
    }

    public static SwarmPeerStatus Status(SwarmMember member, double now) => new(
        member.Self,
        member.Behaviour,
        member.Store.Have.Count,
        member.Store.Metainfo.PieceCount,
        member.UploadRate(now),
        member.DownloadRate(now),
        member.BytesUp,
        member.BytesDown,
        member.Connections.Count,
        [.. member.UnchokedBy],
        [.. member.Unchoking],
        member.CompletedAt,
        member.HashFailures,
        [.. member.Banned.Order(PeerIdComparer.Instance)],
        member.Behaviour == PeerBehaviour.Seed ? "seed" : member.Store.IsComplete ? "complete" : "leeching");

    /// <summary>
    /// The member as a restarted driver needs it. The next tick is the one after the last it ran
    /// (its time over the tick length), and never before its arrival: a member started in the tick
    /// the driver died in has not run it yet.
    /// </summary>
    public static SwarmMemberSnapshot Snapshot(SwarmMember member, SwarmPeerConfig config, bool withTorrent, bool onWire)
    {
        var ran = (long)Math.Round(member.LastTickTime / config.Parameters.TickSeconds);
        return new SwarmMemberSnapshot(member.Self, member.Store.Have.ToBytes(), Math.Max(config.ArrivalTick, ran + 1), member.CompletedAt,
            member.NeedsPeers(member.LastTickTime), onWire, withTorrent ? config.Torrent : []);
    }

    public static PeerTickReport Report(SwarmMember member, IReadOnlyList<int> verified, long up, long down, bool left) =>
        new(member.Self, member.Store.Have.Count, verified, up, down, member.Store.IsComplete, left, !left && member.NeedsPeers(member.LastTickTime));

    /// <summary>A tick's messages as batches for the driver to carry, each counted as one message of the swarm.</summary>
    public static List<SwarmBatch> Batches(PeerId self, long tick, IReadOnlyList<(PeerId To, IReadOnlyList<PeerMessage> Messages)> outgoing)
    {
        var batches = new List<SwarmBatch>(outgoing.Count);
        foreach (var (to, messages) in outgoing)
        {
            P2PTelemetry.CountMessage(SwarmParameters.Name, P2PTelemetry.LookupKind, "wire");
            batches.Add(new SwarmBatch(self, to, tick, messages));
        }

        return batches;
    }

    /// <summary>
    /// The swarm's content for a seed, read from the driver piece by piece. Piece messages are immutable: in one
    /// silo they are the driver's bytes, not a copy, and shared storage keeps them as they are (a piece given whole).
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>[]> LoadContentAsync(IGrainFactory grains, string overlay, Torrent.Metainfo metainfo)
    {
        var driver = grains.GetGrain<ISwarmGrain>(overlay);
        var pieces = new ReadOnlyMemory<byte>[metainfo.PieceCount];
        for (var piece = 0; piece < metainfo.PieceCount; piece++)
        {
            pieces[piece] = (await driver.ReadContentPieceAsync(piece)).Data;
        }

        return pieces;
    }
}
