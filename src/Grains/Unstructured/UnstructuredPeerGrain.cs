using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>
/// What the Napster, Gnutella and FastTrack peer grains do the same way: the key
/// "&lt;overlay&gt;/&lt;node&gt;" (<see cref="UnstructuredNodes"/>), the protocol's node they hold while they
/// are a member, the not-a-member answer every caller of a stopped peer gets, crash and stop.
/// The protocol's grain adds its messages; its rules live in the node.
/// </summary>
/// <typeparam name="TNode">The protocol's pure peer core (NapsterNode, GnutellaNode, FastTrackNode).</typeparam>
public abstract class UnstructuredPeerGrain<TNode> : Grain
    where TNode : class
{
    protected UnstructuredPeerGrain(string protocol) => Protocol = protocol;

    protected string Protocol { get; }

    protected string Overlay { get; private set; } = "";

    /// <summary>This peer's number in its overlay.</summary>
    protected int Self { get; private set; }

    protected PeerEndpoint Endpoint => UnstructuredNodes.EndpointOf(Self);

    /// <summary>The node while this peer is a member; null before it joins and after it failed, left or stopped.</summary>
    protected TNode? Current { get; private set; }

    /// <summary>The node, or the answer every caller of a non-member gets: it is not a member (a dead peer for them).</summary>
    protected TNode Node => Current ?? throw new PeerUnreachableException($"{Protocol} peer {Self} of '{Overlay}' is not a member");

    protected IOverlayRegistryGrain Registry => GrainFactory.GetGrain<IOverlayRegistryGrain>(Overlay);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (overlay, id) = PeerKeys.Parse(this.GetPrimaryKeyString());
        (Overlay, Self) = (overlay, UnstructuredNodes.NodeOf(id));
        return Task.CompletedTask;
    }

    public Task<bool> IsMemberAsync() => Task.FromResult(Current is not null);

    /// <summary>Crash: state dropped, nobody told but the registry; neighbours find out when they next call.</summary>
    public async Task FailAsync()
    {
        _ = Node;
        Stop();
        await LeaveRegistryAsync();
    }

    /// <summary>Stops the peer without any protocol action (overlay deleted).</summary>
    public Task StopAsync()
    {
        if (Current is not null)
        {
            Stop();
        }

        return Task.CompletedTask;
    }

    protected TPeer PeerGrain<TPeer>(int node)
        where TPeer : IGrainWithStringKey => GrainFactory.GetGrain<TPeer>(UnstructuredNodes.Key(Overlay, node));

    /// <summary>One clear error for a second join of the same peer.</summary>
    protected void EnsureNotMember()
    {
        if (Current is not null)
        {
            throw new P2PException($"peer {Self} is already a member of '{Overlay}'");
        }
    }

    /// <summary>The peer becomes a member holding <paramref name="node"/>.</summary>
    protected void Start(TNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        EnsureNotMember();
        Current = node;
        P2PTelemetry.ActivePeers.Add(1);
    }

    /// <summary>Drops the node; the activation goes once idle.</summary>
    protected void Stop()
    {
        Current = null;
        P2PTelemetry.ActivePeers.Add(-1);
        DeactivateOnIdle();
    }

    protected Task LeaveRegistryAsync() => Registry.RemoveMemberAsync(UnstructuredNodes.IdOf(Self));
}
