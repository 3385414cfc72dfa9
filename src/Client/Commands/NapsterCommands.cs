using System.CommandLine;
using P2POrleans.Napster;
using P2POrleans.Unstructured;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p napster create|join|leave|fail|share|search|fetch|topology|stats|step|fail-server|recover-server`.</summary>
public static class NapsterCommands
{
    /// <summary>The server answers from its directory: search and fetch take no TTL.</summary>
    public static UnstructuredProtocol Protocol { get; } = UnstructuredProtocol.Of<NapsterParameters, INapsterOverlayGrain, INapsterPeerGrain>(
        "Napster: a central directory server (ternary search tree), peers fetch from the best host",
        new NapsterParameters(),
        async (overlay, p) => await overlay.CreateAsync(p),
        (peer, text, _) => peer.SearchAsync(text),
        (peer, text, _) => peer.FetchAsync(text));

    public static Command Build(CommandEnvironment env)
    {
        var command = UnstructuredCommands.Build(env, Protocol);
        command.Subcommands.Add(ServerAction(env, "fail-server", "Crash the central server (the single point of failure)", s => s.FailAsync(), "the server of '{0}' is down: searches fail until `napster recover-server`"));
        command.Subcommands.Add(ServerAction(env, "recover-server", "Restart the server empty; peers re-register on their next round (`napster step`)", s => s.RecoverAsync(), "the server of '{0}' is back, empty; peers log in again on their next round (`p2p napster step {0}`)"));
        command.Subcommands.Add(ServerAction(env, "server", "The central server's state", _ => Task.CompletedTask, null));
        return command;
    }

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
