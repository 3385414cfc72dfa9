using System.Globalization;

namespace P2POrleans.Common;

/// <summary>
/// The simulated hosts the structured overlays join: host h is "10.a.b.c:port" (a, b, c the bytes of
/// h, the port fixed per protocol and seed), and a peer's id is the SHA-1 of its address truncated
/// to the id space (Chord section 4.2, Pastry section 2). Virtual node v of a host is "address#v"
/// (Chord section 6.2).
/// </summary>
public static class SimulatedHosts
{
    /// <summary>The port Chord's simulated hosts listen on is this plus the seed's last three digits.</summary>
    public const int ChordBasePort = 4000;

    /// <summary>The same for Pastry's and Kelips' hosts.</summary>
    public const int PastryKelipsBasePort = 5000;

    public static string Address(long seed, int host, int basePort) =>
        string.Create(CultureInfo.InvariantCulture, $"10.{(host >> 16) & 255}.{(host >> 8) & 255}.{host & 255}:{basePort + (int)(Math.Abs(seed) % 1000)}");

    /// <summary>Hosts first .. first + hosts - 1 with their virtual nodes, skipping ids already seen (a hash collision).</summary>
    public static IEnumerable<(string Address, NodeId Id)> Addresses(IdSpace space, long seed, int basePort, int firstHost, int hosts, int virtualNodes = 1)
    {
        var seen = new HashSet<NodeId>();
        for (var h = firstHost; h < firstHost + hosts; h++)
        {
            var host = Address(seed, h, basePort);
            for (var v = 0; v < virtualNodes; v++)
            {
                var address = virtualNodes == 1 ? host : host + "#" + v.ToString(CultureInfo.InvariantCulture);
                var id = space.Hash(address);
                if (seen.Add(id))
                {
                    yield return (address, id);
                }
            }
        }
    }
}
