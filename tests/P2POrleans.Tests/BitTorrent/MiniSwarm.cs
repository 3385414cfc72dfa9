using P2POrleans.BitTorrent;
using P2POrleans.BitTorrent.Choking;
using P2POrleans.BitTorrent.Storage;

namespace P2POrleans.Tests.BitTorrent;

/// <summary>
/// A tick-based, in-memory swarm built only from the pure classes: every peer connected to every
/// other, messages delivered at once, each peer uploading a fixed number of blocks per second.
/// Real bytes move and every piece is hashed on arrival.
/// </summary>
internal sealed class MiniSwarm
{
    private readonly Dictionary<PeerId, SimPeer> _peers = [];

    public MiniSwarm(IEnumerable<SimPeer> peers, int blocksPerTick)
    {
        foreach (var peer in peers)
        {
            _peers[peer.Id] = peer;
        }

        BlocksPerTick = blocksPerTick;
        foreach (var me in _peers.Values)
        {
            foreach (var other in _peers.Values.Where(o => o != me))
            {
                me.Down[other.Id] = new RateEstimator();
                me.Up[other.Id] = new RateEstimator();
                me.Queue[other.Id] = [];
                me.ChokedBy.Add(other.Id); // BEP 3: connections start choked and not interested
                me.Availability.OnBitfield(other.Id, BitField.FromBytes(other.Store.Have.ToBytes(), other.Store.Have.Length));
            }
        }

        foreach (var me in _peers.Values)
        {
            UpdateInterest(me);
        }
    }

    public int BlocksPerTick { get; }

    public IReadOnlyCollection<SimPeer> Peers => _peers.Values;

    public bool AllComplete => _peers.Values.All(p => p.Store.IsComplete);

    /// <summary>Runs until every peer holds every piece; returns the number of ticks, or -1 if <paramref name="maxTicks"/> ran out.</summary>
    public int Run(int maxTicks)
    {
        for (var t = 0; t < maxTicks; t++)
        {
            if (AllComplete)
            {
                return t;
            }

            Tick(t);
        }

        return AllComplete ? maxTicks : -1;
    }

    private void Tick(double now)
    {
        foreach (var me in _peers.Values)
        {
            var decision = me.Choker.Tick(now, me.ChokerView(now), seeding: me.Store.IsComplete);
            foreach (var id in decision.ToChoke)
            {
                var other = _peers[id];
                other.ChokedBy.Add(me.Id);
                other.Requester.OnChoked(me.Id);
                me.Queue[id].Clear();
            }

            foreach (var id in decision.ToUnchoke)
            {
                _peers[id].ChokedBy.Remove(me.Id);
            }
        }

        foreach (var me in _peers.Values)
        {
            foreach (var other in me.Down.Keys.Where(o => !me.ChokedBy.Contains(o)))
            {
                SendRequests(me, _peers[other]);
            }
        }

        foreach (var uploader in _peers.Values)
        {
            Upload(uploader, now);
        }
    }

    private static void SendRequests(SimPeer me, SimPeer to)
    {
        foreach (var block in me.Requester.FillPipeline(to.Id))
        {
            to.Queue[me.Id].Add(block);
        }
    }

    private void Upload(SimPeer uploader, double now)
    {
        var budget = BlocksPerTick;
        var progress = true;
        while (budget > 0 && progress)
        {
            progress = false;
            foreach (var id in uploader.Choker.Unchoked.OrderBy(p => p.Value, StringComparer.Ordinal))
            {
                var queue = uploader.Queue[id];
                if (budget == 0 || queue.Count == 0)
                {
                    continue;
                }

                var block = queue[0];
                queue.RemoveAt(0);
                var data = uploader.Store.ReadBlock(block);
                uploader.Up[id].Add(now, block.Length);
                uploader.Uploaded += block.Length;
                budget--;
                progress = true;
                Deliver(_peers[id], uploader, block, data, now);
            }
        }
    }

    private void Deliver(SimPeer me, SimPeer from, BlockRequest block, ReadOnlyMemory<byte> data, double now)
    {
        me.Down[from.Id].Add(now, block.Length);
        foreach (var (other, duplicate) in me.Requester.BlockReceived(from.Id, block))
        {
            _peers[other].Queue[me.Id].Remove(duplicate); // the endgame cancel
        }

        var result = me.Store.AddBlock(from.Id, block, data);
        me.Requester.OnBlockResult(result);
        if (result.Outcome == BlockOutcome.PieceFailed)
        {
            me.HashFailures++;
        }

        if (result.CompletedPiece)
        {
            foreach (var other in _peers.Values.Where(o => o != me))
            {
                other.Availability.OnHave(me.Id, result.Piece);
                UpdateInterest(other);
            }

            UpdateInterest(me);
        }

        if (!me.ChokedBy.Contains(from.Id))
        {
            SendRequests(me, from);
        }
    }

    private void UpdateInterest(SimPeer me)
    {
        foreach (var other in _peers.Values.Where(o => o != me))
        {
            if (me.Requester.IsInterestedIn(other.Id))
            {
                other.InterestedInMe.Add(me.Id);
            }
            else
            {
                other.InterestedInMe.Remove(me.Id);
            }
        }
    }
}
