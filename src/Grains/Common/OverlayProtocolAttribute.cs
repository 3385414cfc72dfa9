namespace P2POrleans.Common;

/// <summary>
/// A protocol's registration with the overlay registry: its name (the Protocol of its parameters)
/// and the grain class of its peers. Each protocol folder declares its own, so Common names none
/// (docs/architecture.md, "How to add a protocol").
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class OverlayProtocolAttribute : Attribute
{
    public OverlayProtocolAttribute(string name, Type peerGrain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(peerGrain);
        if (!typeof(IOverlayPeer).IsAssignableFrom(peerGrain) || !typeof(Grain).IsAssignableFrom(peerGrain))
        {
            throw new ArgumentException($"{peerGrain.Name} is not a grain class of IOverlayPeer", nameof(peerGrain));
        }

        Name = name;
        PeerGrain = peerGrain;
    }

    public string Name { get; }

    public Type PeerGrain { get; }
}
