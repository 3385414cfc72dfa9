using System.CommandLine;
using P2POrleans.Gnutella;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p gnutella create|join|leave|fail|share|search|query|ping|fetch|topology|stats|step`.</summary>
public static class GnutellaCommands
{
    public static UnstructuredProtocol Protocol { get; } = UnstructuredProtocol.Of<GnutellaParameters, IGnutellaOverlayGrain, IGnutellaPeerGrain>(
        "Gnutella 0.4: servents flooding encoded descriptors with TTL, seen table and reverse-path routing",
        new GnutellaParameters(),
        async (overlay, p) => await overlay.CreateAsync(p),
        (servent, text, ttl) => servent.QueryAsync(text, ttl),
        (servent, text, ttl) => servent.FetchAsync(text, ttl));

    public static Command Build(CommandEnvironment env)
    {
        var command = UnstructuredCommands.Build(env, Protocol);
        command.Subcommands.Add(UnstructuredCommands.Search(env, Protocol, "query", "Flood a Query: hits with the path back, peers reached, messages sent"));
        command.Subcommands.Add(Ping(env));
        return command;
    }

    private static IGnutellaPeerGrain Servent(IClusterClient client, string overlay, int node) =>
        client.GetGrain<IGnutellaPeerGrain>(UnstructuredNodes.Key(overlay, node));

    private static Command Ping(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var from = new Option<int?>("--from") { Description = "the pinging peer (default 0)" };
        var ttl = new Option<int?>("--ttl") { Description = "TTL (default: the overlay's)" };
        var command = new Command("ping", "Flood a Ping: Pongs come back along the reverse path") { name, from, ttl };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await UnstructuredCommands.RequireProtocolAsync(client, Protocol, parse.GetValue(name)!);
            var t = parse.GetValue(ttl);
            if (t is < 1 or > 255)
            {
                throw new CliException($"--ttl must be between 1 and 255 (got {t})");
            }

            var node = await UnstructuredCommands.RequireMemberAsync(client, Protocol, overlay, parse.GetValue(from) ?? 0);
            var outcome = await Servent(client, overlay, node).PingAsync(t);
            if (session.Json)
            {
                session.WriteJson(outcome);
            }
            else
            {
                session.Out.WriteLine($"ping from peer {node}, TTL {outcome.Ttl}: {outcome.Reached.Count} peers reached, {outcome.MessageCount} messages ({UnstructuredRender.Counts(outcome.Messages)})");
            }

            return P2PCli.Ok;
        }));
        return command;
    }
}
