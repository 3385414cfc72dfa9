using System.CommandLine;
using P2POrleans.FastTrack;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p fasttrack create|join|leave|fail|share|search|fetch|topology|stats|step|supernodes`.</summary>
public static class FastTrackCommands
{
    public static UnstructuredProtocol Protocol { get; } = new(
        FastTrackParameters.Name,
        "FastTrack: supernodes (promoted by reputation) index their children and flood each other",
        new FastTrackParameters(),
        async (client, overlay, p) => await client.GetGrain<IFastTrackOverlayGrain>(overlay).CreateAsync((FastTrackParameters)p),
        (client, overlay, files) => client.GetGrain<IFastTrackOverlayGrain>(overlay).JoinAsync(files),
        (client, overlay, node) => client.GetGrain<IFastTrackOverlayGrain>(overlay).RequireMemberAsync(node),
        (client, overlay, node) => Peer(client, overlay, node).LeaveAsync(),
        (client, overlay, node) => Peer(client, overlay, node).FailAsync(),
        (client, overlay, node, name, size) => Peer(client, overlay, node).ShareAsync(name, size),
        (client, overlay, node, text, ttl) => Peer(client, overlay, node).SearchAsync(text, ttl),
        (client, overlay, node, text, ttl) => Peer(client, overlay, node).FetchAsync(text, ttl),
        (client, overlay) => client.GetGrain<IFastTrackOverlayGrain>(overlay).PeersAsync());

    public static Command Build(CommandEnvironment env)
    {
        var command = UnstructuredCommands.Build(env, Protocol);
        var name = OverlayCommands.NameArgument();
        var supernodes = new Command("supernodes", "The supernodes and how many children each indexes") { name };
        supernodes.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await UnstructuredCommands.RequireProtocolAsync(client, Protocol, parse.GetValue(name)!);
            var peers = (await Protocol.Peers(client, overlay)).Where(p => p.Role.StartsWith("supernode", StringComparison.Ordinal)).ToList();
            UnstructuredRender.Peers(session, peers, int.MaxValue);
            return P2PCli.Ok;
        }));
        command.Subcommands.Add(supernodes);
        return command;
    }

    private static IFastTrackPeerGrain Peer(IClusterClient client, string overlay, int node) =>
        client.GetGrain<IFastTrackPeerGrain>(UnstructuredNodes.Key(overlay, node));
}
