using System.CommandLine;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p napster create|join|leave|fail|share|search|fetch|topology|stats|step|fail-server|recover-server`.</summary>
public static class NapsterCommands
{
    public static UnstructuredProtocol Protocol { get; } = new(
        NapsterParameters.Name,
        "Napster: a central directory server (ternary search tree), peers fetch from the best host",
        new NapsterParameters(),
        async (client, overlay, p) => await client.GetGrain<INapsterOverlayGrain>(overlay).CreateAsync((NapsterParameters)p),
        (client, overlay, files) => client.GetGrain<INapsterOverlayGrain>(overlay).JoinAsync(files),
        (client, overlay, node) => client.GetGrain<INapsterOverlayGrain>(overlay).RequireMemberAsync(node),
        (client, overlay, node) => Peer(client, overlay, node).LeaveAsync(),
        (client, overlay, node) => Peer(client, overlay, node).FailAsync(),
        (client, overlay, node, name, size) => Peer(client, overlay, node).ShareAsync(name, size),
        (client, overlay, node, text, _) => Peer(client, overlay, node).SearchAsync(text),
        (client, overlay, node, text, _) => Peer(client, overlay, node).FetchAsync(text),
        (client, overlay) => client.GetGrain<INapsterOverlayGrain>(overlay).PeersAsync());

    public static Command Build(CommandEnvironment env)
    {
        var command = UnstructuredCommands.Build(env, Protocol);
        command.Subcommands.Add(ServerAction(env, "fail-server", "Crash the central server (the single point of failure)", s => s.FailAsync(), "the server of '{0}' is down: searches fail until `napster recover-server`"));
        command.Subcommands.Add(ServerAction(env, "recover-server", "Restart the server empty; peers re-register on their next round (`napster step`)", s => s.RecoverAsync(), "the server of '{0}' is back, empty; peers log in again on their next round (`p2p napster step {0}`)"));
        command.Subcommands.Add(ServerAction(env, "server", "The central server's state", _ => Task.CompletedTask, null));
        return command;
    }

    private static INapsterPeerGrain Peer(IClusterClient client, string overlay, int node) =>
        client.GetGrain<INapsterPeerGrain>(UnstructuredNodes.Key(overlay, node));

    private static Command ServerAction(CommandEnvironment env, string verb, string description, Func<INapsterServerGrain, Task> action, string? done)
    {
        var name = OverlayCommands.NameArgument();
        var command = new Command(verb, description) { name };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var overlay = await UnstructuredCommands.RequireProtocolAsync(client, Protocol, parse.GetValue(name)!);
            var server = client.GetGrain<INapsterServerGrain>(overlay);
            await action(server);
            var stats = await server.StatsAsync();
            if (session.Json)
            {
                session.WriteJson(stats);
            }
            else
            {
                if (done is not null)
                {
                    session.Out.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, done, overlay));
                }

                session.Out.WriteLine($"server {(stats.Up ? "up" : "DOWN")} (epoch {stats.Epoch}): {stats.Peers} peers, {stats.Files} files, {stats.Words} words indexed, {stats.Searches} searches served, {stats.DeadReported} dead peers reported");
            }

            return P2PCli.Ok;
        }));
        return command;
    }
}
