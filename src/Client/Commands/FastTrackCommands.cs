using System.CommandLine;
using P2POrleans.FastTrack;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p fasttrack create|join|leave|fail|share|search|fetch|topology|stats|step|supernodes`.</summary>
public static class FastTrackCommands
{
    public static UnstructuredProtocol Protocol { get; } = UnstructuredProtocol.Of<FastTrackParameters, IFastTrackOverlayGrain, IFastTrackPeerGrain>(
        "FastTrack: supernodes (promoted by reputation) index their children and flood each other",
        new FastTrackParameters(),
        async (overlay, p) => await overlay.CreateAsync(p),
        (peer, text, ttl) => peer.SearchAsync(text, ttl),
        (peer, text, ttl) => peer.FetchAsync(text, ttl));

    public static Command Build(CommandEnvironment env)
    {
        var command = UnstructuredCommands.Build(env, Protocol);
        var name = OverlayCommands.NameArgument();
        var supernodes = new Command("supernodes", "The supernodes and how many children each indexes") { name };
        supernodes.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await UnstructuredCommands.RequireProtocolAsync(client, Protocol, parse.GetValue(name)!);
            var peers = (await Protocol.Overlay(client, overlay).PeersAsync()).Where(p => p.Role.StartsWith("supernode", StringComparison.Ordinal)).ToList();
            UnstructuredRender.Peers(session, peers, int.MaxValue);
            return P2PCli.Ok;
        }));
        command.Subcommands.Add(supernodes);
        return command;
    }
}
