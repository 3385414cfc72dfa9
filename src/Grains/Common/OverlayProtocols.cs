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

    // Protocols whose peers answer IMemberPeer (join, leave, fail, membership): the structured and unstructured overlays.
    private static readonly HashSet<string> MemberProtocols = [.. typeof(OverlayProtocols).Assembly.GetCustomAttributes<OverlayProtocolAttribute>()
        .Where(r => typeof(IMemberPeer).IsAssignableFrom(r.PeerGrain)).Select(r => r.Name)];

    public static bool IsKnown(string protocol) => PeerGrainClasses.ContainsKey(protocol);

    public static IOverlayPeer Peer(IGrainFactory factory, OverlayParameters parameters, string overlay, NodeId id) =>
        factory.GetGrain<IOverlayPeer>(PeerKeys.For(overlay, id), PeerGrainClasses[parameters.Protocol]);

    /// <summary>The peer as a member (it says whether it is one), or null when the protocol's peers are not members of that kind.</summary>
    public static IMemberPeer? MemberPeer(IGrainFactory factory, OverlayParameters parameters, string overlay, NodeId id) =>
        MemberProtocols.Contains(parameters.Protocol) ? factory.GetGrain<IMemberPeer>(PeerKeys.For(overlay, id), PeerGrainClasses[parameters.Protocol]) : null;

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
