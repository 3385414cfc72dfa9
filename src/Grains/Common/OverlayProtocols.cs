using System.Reflection;

namespace P2POrleans.Common;

/// <summary>
/// The protocols the registry knows: every <see cref="OverlayProtocolAttribute"/> declared in this
/// assembly, one per protocol folder, mapped to the grain class of its peers.
/// </summary>
public static class OverlayProtocols
{
    private static readonly IReadOnlyDictionary<string, string> PeerGrainClasses = Read(typeof(OverlayProtocols).Assembly);

    /// <summary>The registered protocol names, in ordinal order.</summary>
    public static IReadOnlyCollection<string> Protocols { get; } = [.. PeerGrainClasses.Keys.Order(StringComparer.Ordinal)];

    public static bool IsKnown(string protocol) => PeerGrainClasses.ContainsKey(protocol);

    public static IOverlayPeer Peer(IGrainFactory factory, OverlayParameters parameters, string overlay, NodeId id) =>
        factory.GetGrain<IOverlayPeer>(PeerKeys.For(overlay, id), PeerGrainClasses[parameters.Protocol]);

    /// <summary>The registrations of an assembly by protocol name; two for one name is a programming error.</summary>
    public static IReadOnlyDictionary<string, string> Read(Assembly assembly)
    {
        var classes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var registration in assembly.GetCustomAttributes<OverlayProtocolAttribute>())
        {
            if (!classes.TryAdd(registration.Name, registration.PeerGrain.FullName!))
            {
                throw new InvalidOperationException($"protocol '{registration.Name}' is registered twice ({classes[registration.Name]} and {registration.PeerGrain.FullName})");
            }
        }

        return classes;
    }
}
