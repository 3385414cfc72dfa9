using P2POrleans.Common;

namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// A <see cref="Servent"/> on the wire between grains: descriptors arrive as Gnutella 0.4 bytes,
/// are decoded here (malformed ones rejected and counted), handled by the servent's rules, and
/// what it sends is encoded and enqueued at the neighbour grains for the next round. A neighbour
/// that does not answer is dropped from the servent's links.
/// </summary>
public sealed class WireServent
{
    private const int SendParallelism = 32;
    private readonly List<(Guid Flood, int Round, PeerEndpoint From, WireMessage Message)> _inbox = [];
    private readonly string _protocol;

    public WireServent(int node, Servent servent, string protocol)
    {
        ArgumentNullException.ThrowIfNull(servent);
        Node = node;
        Servent = servent;
        _protocol = protocol;
    }

    public int Node { get; }

    public Servent Servent { get; }

    /// <summary>Frames that failed to decode.</summary>
    public long Rejected { get; private set; }

    public void Enqueue(Guid flood, int round, PeerEndpoint from, IReadOnlyList<WireMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            _inbox.Add((flood, round, from, message));
        }
    }

    /// <summary>Handles this round's arrivals (synchronously, so interleaved enqueues wait for their round) and sends the output.</summary>
    public async Task<(FloodRoundReport Report, IReadOnlyList<DeliveredDescriptor> Delivered)> RunRoundAsync(FloodRound round, Func<int, IFloodNodeGrain> resolve)
    {
        ArgumentNullException.ThrowIfNull(round);
        // Sender order, not arrival order: the senders of a round run concurrently, and which of
        // them enqueued first must not change what this servent does (e.g. which Pongs it caches).
        var arrivals = _inbox.Where(m => m.Flood == round.Flood && m.Round <= round.Round).OrderBy(m => m.Round).ThenBy(m => m.From).ToList();
        _inbox.RemoveAll(m => m.Flood == round.Flood && m.Round <= round.Round);
        var outgoing = new SortedDictionary<PeerEndpoint, List<WireMessage>>();
        var delivered = new List<DeliveredDescriptor>();
        var accepted = false;
        var rejected = 0;
        var sent = DescriptorCounts.Zero;
        foreach (var (_, _, from, message) in arrivals)
        {
            Descriptor incoming;
            try
            {
                incoming = DescriptorCodec.Decode(message.Bytes);
            }
            catch (DescriptorFormatException)
            {
                rejected++;
                Rejected++;
                continue;
            }

            var output = Servent.Receive(from, incoming, round.Now);
            var path = message.Path.Append(Node).ToArray();
            if (output.Dropped is null && incoming.Id == round.OriginId && (byte)incoming.Type == round.OriginType)
            {
                accepted = true;
            }

            delivered.AddRange(output.Delivered.Select(d => new DeliveredDescriptor(Node, d, path)));
            foreach (var send in output.Send)
            {
                // a forwarded copy carries its path on; a response starts a new one here (spec 2.3)
                var forwarded = send.Descriptor.Id == incoming.Id && send.Descriptor.Type == incoming.Type;
                Add(outgoing, send, forwarded ? path : [Node]);
                sent += CountsOf.One(send.Descriptor.Type);
            }
        }

        var (recipients, dead) = await SendAsync(round.Flood, round.Round + 1, outgoing, resolve);
        var report = new FloodRoundReport(Node, recipients, sent, accepted, delivered, rejected, dead);
        return (report, delivered);
    }

    /// <summary>Sends what the servent originated (round 1 of a new flood); returns the recipients and the counts.</summary>
    public async Task<(IReadOnlyList<int> Recipients, DescriptorCounts Sent)> OriginateAsync(Guid flood, Originated start, Func<int, IFloodNodeGrain> resolve)
    {
        ArgumentNullException.ThrowIfNull(start);
        var outgoing = new SortedDictionary<PeerEndpoint, List<WireMessage>>();
        var sent = DescriptorCounts.Zero;
        foreach (var send in start.Send)
        {
            Add(outgoing, send, [Node]);
            sent += CountsOf.One(send.Descriptor.Type);
        }

        var (recipients, _) = await SendAsync(flood, 1, outgoing, resolve);
        return (recipients, sent);
    }

    private void Add(SortedDictionary<PeerEndpoint, List<WireMessage>> outgoing, Outgoing send, IReadOnlyList<int> path)
    {
        if (!outgoing.TryGetValue(send.To, out var list))
        {
            outgoing[send.To] = list = [];
        }

        list.Add(new WireMessage(DescriptorCodec.Encode(send.Descriptor), path));
        var kind = send.Descriptor.Type is PayloadType.Ping or PayloadType.Pong ? P2PTelemetry.MaintenanceKind : P2PTelemetry.LookupKind;
        P2PTelemetry.CountMessage(_protocol, kind, send.Descriptor.Type.ToString());
    }

    private async Task<(IReadOnlyList<int> Recipients, IReadOnlyList<int> Dead)> SendAsync(
        Guid flood, int round, SortedDictionary<PeerEndpoint, List<WireMessage>> outgoing, Func<int, IFloodNodeGrain> resolve)
    {
        var recipients = new List<int>();
        var dead = new List<int>();
        var self = Servent.Endpoint;
        await Concurrently.ForEachAsync(outgoing, SendParallelism, async pair =>
        {
            var to = UnstructuredNodes.NodeOf(pair.Key);
            try
            {
                await resolve(to).EnqueueAsync(flood, round, self, pair.Value);
                recipients.Add(to);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // the TCP connection broke: the neighbour is gone (spec 2.3 leaves reconnection to the servent)
                Servent.RemoveNeighbour(pair.Key);
                dead.Add(to);
            }
        });
        recipients.Sort();
        return (recipients, dead);
    }
}
