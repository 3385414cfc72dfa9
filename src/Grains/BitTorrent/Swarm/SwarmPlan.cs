using System.Globalization;
using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>Names, roles and arrival ticks of every member of a swarm, from its parameters and seed.</summary>
public static class SwarmPlan
{
    /// <summary>Seeds "seed-0".. first, then leechers "peer-001".. with free riders and corrupters drawn at random.</summary>
    public static List<SwarmMemberRecord> Create(SwarmParameters parameters, int pieces)
    {
        var members = new List<SwarmMemberRecord>();
        for (var i = 0; i < parameters.Seeds; i++)
        {
            members.Add(new SwarmMemberRecord(new PeerId($"seed-{i}"), PeerBehaviour.Seed, 0, pieces));
        }

        var width = Math.Max(3, parameters.Peers.ToString(CultureInfo.InvariantCulture).Length);
        var roles = new PeerBehaviour[parameters.Peers];
        Array.Fill(roles, PeerBehaviour.Leecher);
        var order = Enumerable.Range(0, parameters.Peers).ToArray();
        SeededRandom.Create(parameters.Seed, "bt-roles").Shuffle(order);
        for (var i = 0; i < parameters.FreeRiders; i++)
        {
            roles[order[i]] = PeerBehaviour.FreeRider;
        }

        for (var i = 0; i < parameters.Corrupters; i++)
        {
            roles[order[parameters.FreeRiders + i]] = PeerBehaviour.Corrupter;
        }

        for (var i = 0; i < parameters.Peers; i++)
        {
            var arrival = parameters.Arrival == ArrivalPattern.FlashCrowd
                ? 0
                : (long)Math.Ceiling(i * parameters.ArrivalIntervalSeconds / parameters.TickSeconds);
            members.Add(new SwarmMemberRecord(new PeerId("peer-" + (i + 1).ToString("D" + width, CultureInfo.InvariantCulture)), roles[i], arrival, pieces));
        }

        return members;
    }
}
