using P2POrleans.BitTorrent.Storage;

namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>
/// The download side of one peer, per connection: keeps a pipeline of outstanding block
/// requests to each peer that unchoked us (BEP 3 recommends several, so the link never idles
/// for a round trip), and turns arrivals into the cancels endgame needs.
/// </summary>
public sealed class PieceRequester
{
    public const int DefaultPipelineDepth = 5;

    private readonly IPiecePicker _picker;

    /// <summary>The pieces a peer has that we lack, rebuilt by every top-up (the pickers only read it during the call).</summary>
    private BitField? _available;

    public PieceRequester(PieceRequests requests, Availability availability, IPiecePicker picker, int pipelineDepth = DefaultPipelineDepth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pipelineDepth);
        Requests = requests;
        Availability = availability;
        _picker = picker;
        PipelineDepth = pipelineDepth;
    }

    public PieceRequests Requests { get; }

    public Availability Availability { get; }

    public int PipelineDepth { get; }

    /// <summary>True when the peer has a piece we lack: we should be interested (BEP 3).</summary>
    public bool IsInterestedIn(PeerId peer) => Availability.PiecesOf(peer).HasAnyNotIn(Requests.Have);

    /// <summary>
    /// New requests to send to <paramref name="peer"/> (which has unchoked us) to top its pipeline
    /// up to the depth; they are recorded as outstanding.
    /// </summary>
    public IReadOnlyList<BlockRequest> FillPipeline(PeerId peer) => FillPipeline(peer, PipelineDepth);

    /// <summary>
    /// As <see cref="FillPipeline(PeerId)"/> with a depth chosen by the caller (a bandwidth-delay
    /// product: the rate from that peer times the round trip, so fast links never idle).
    /// </summary>
    public IReadOnlyList<BlockRequest> FillPipeline(PeerId peer, int depth)
    {
        var sent = new List<BlockRequest>();
        FillPipeline(peer, depth, sent);
        return sent;
    }

    /// <summary>As <see cref="FillPipeline(PeerId, int)"/>, into <paramref name="sent"/> (emptied first): a member reuses one list.</summary>
    public void FillPipeline(PeerId peer, int depth, List<BlockRequest> sent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        sent.Clear();
        if (Requests.Outstanding(peer) >= depth)
        {
            return;
        }

        var available = _available ??= new BitField(Availability.PieceCount);
        available.SetToExcept(Availability.PiecesOf(peer), Requests.Have);
        while (Requests.Outstanding(peer) < depth)
        {
            var picked = _picker.Pick(peer, available, depth - Requests.Outstanding(peer));
            var added = 0;
            foreach (var block in picked)
            {
                if (Requests.Add(peer, block))
                {
                    sent.Add(block);
                    added++;
                }
            }

            if (added == 0)
            {
                break;
            }
        }
    }

    /// <summary>A block arrived: the cancels (peer, block) to send for its endgame duplicates.</summary>
    public IReadOnlyList<(PeerId Peer, BlockRequest Block)> BlockReceived(PeerId from, BlockRequest block)
    {
        var others = Requests.Received(from, block);
        return others.Count == 0 ? [] : Cancels(others, block);
    }

    // A method of its own: the lambda captures the block, and a capture allocates on entry, for every block received.
    private static (PeerId Peer, BlockRequest Block)[] Cancels(IReadOnlyList<PeerId> others, BlockRequest block) => [.. others.Select(other => (other, block))];

    /// <summary>Feeds a store result back: a verified or failed piece leaves the request state.</summary>
    public void OnBlockResult(BlockResult result)
    {
        if (result.Outcome == BlockOutcome.PieceVerified)
        {
            Requests.PieceVerified(result.Piece);
        }
        else if (result.Outcome == BlockOutcome.PieceFailed)
        {
            Requests.PieceFailed(result.Piece);
        }
    }

    /// <summary>The peer choked us: BEP 3 says its pending requests are dropped; they go back to the pool.</summary>
    public IReadOnlyList<BlockRequest> OnChoked(PeerId peer) => Requests.RemovePeer(peer);

    public void OnDisconnected(PeerId peer)
    {
        Requests.RemovePeer(peer);
        Availability.OnDisconnect(peer);
    }
}
