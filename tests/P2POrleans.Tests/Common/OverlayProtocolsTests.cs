using P2POrleans.Common;

namespace P2POrleans.Tests.Common;

/// <summary>The protocols register themselves: every parameters type has a peer grain registered under its name.</summary>
public sealed class OverlayProtocolsTests
{
    [Fact]
    public void Every_protocol_of_the_interfaces_is_registered_once_with_a_peer_grain()
    {
        var names = typeof(OverlayParameters).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(OverlayParameters)) && !t.IsAbstract)
            .Select(t => (string)t.GetField("Name")!.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(7, names.Count);
        Assert.Equal(names, OverlayProtocols.Protocols);
        var registered = OverlayProtocols.Read(typeof(OverlayProtocols).Assembly);
        foreach (var name in names)
        {
            Assert.True(OverlayProtocols.IsKnown(name));
            var grain = typeof(OverlayProtocols).Assembly.GetType(registered[name])!;
            Assert.True(typeof(IOverlayPeer).IsAssignableFrom(grain), $"{grain.Name} of '{name}' is no overlay peer");
            Assert.EndsWith("PeerGrain", grain.Name, StringComparison.Ordinal);
        }

        Assert.False(OverlayProtocols.IsKnown("kademlia"));
    }

    [Fact]
    public void A_registration_of_a_class_that_is_no_peer_grain_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new OverlayProtocolAttribute("chord", typeof(OverlayProtocolsTests)));
        Assert.Throws<ArgumentException>(() => new OverlayProtocolAttribute(" ", typeof(OverlayProtocolsTests)));
    }
}
