using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>The simulated hosts of a Chord overlay and their virtual nodes (Chord section 6.2): what a join and the experiments' ideal rings start from.</summary>
public static class ChordHosts
{
    public static IEnumerable<(string Address, NodeId Id)> Addresses(ChordParameters parameters, int firstHost, int hosts)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return SimulatedHosts.Addresses(parameters.Space, parameters.Seed, SimulatedHosts.ChordBasePort, firstHost, hosts, parameters.VirtualNodes);
    }
}
