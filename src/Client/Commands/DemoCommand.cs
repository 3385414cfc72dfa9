using System.CommandLine;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p demo`: a guided tour of every protocol, then churn, the unstructured three and BitTorrent.</summary>
public static class DemoCommand
{
    public static Command Build(CommandEnvironment env)
    {
        var peers = new Option<int>("--peers") { Description = "peers in the demo ring", DefaultValueFactory = _ => 32 };
        var command = new Command("demo", "A guided tour: build overlays, look keys up with traces, fail peers and watch them heal") { peers };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var n = parse.GetValue(peers);
            if (n is < 4 or > 2000)
            {
                throw new CliException($"--peers must be between 4 and 2000 (got {n})");
            }

            await ChordDemo.RunAsync(session, client, n, ct);
            await PastryDemo.RunAsync(session, client, n, ct);
            await KelipsDemo.RunAsync(session, client, ct);
            await ChurnDemo.RunAsync(session, client, n, ct);
            await UnstructuredDemo.RunAsync(session, client, ct);
            await SwarmDemo.RunAsync(session, client, ct);
            return P2PCli.Ok;
        }));
        return command;
    }
}
