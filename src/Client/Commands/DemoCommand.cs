using System.CommandLine;
using P2POrleans.Web;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p demo`: a guided tour of every protocol, then churn, the unstructured three and BitTorrent.</summary>
public static class DemoCommand
{
    /// <summary>How long `demo --web` waits for a person to open the page before it starts.</summary>
    private static readonly TimeSpan FirstPageWait = TimeSpan.FromSeconds(30);

    public static Command Build(CommandEnvironment env)
    {
        var peers = new Option<int>("--peers") { Description = "peers in the demo ring", DefaultValueFactory = _ => 32 };
        var web = new Option<bool>("--web") { Description = "also serve the live web view, which follows the demo (docs/web.md); it stays up after the demo until Ctrl+C" };
        var port = WebCommand.PortOption();
        var host = WebCommand.HostOption();
        var pause = new Option<int>("--pause") { Description = "with --web: milliseconds to wait after each scene, so the page can be watched", DefaultValueFactory = _ => 1500 };
        var command = new Command("demo", "A guided tour: build overlays, look keys up with traces, fail peers and watch them heal") { peers, web, port, host, pause };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var n = parse.GetValue(peers);
            if (n is < 4 or > 2000)
            {
                throw new CliException($"--peers must be between 4 and 2000 (got {n})");
            }

            if (parse.GetValue(pause) is < 0 or > 60_000)
            {
                throw new CliException($"--pause must be between 0 and 60,000 ms (got {parse.GetValue(pause)})");
            }

            WebServer? server = null;
            if (parse.GetValue(web))
            {
                server = await WebCommand.StartAsync(session, client, WebCommand.Options(parse.GetValue(host)!, parse.GetValue(port)), ct);
                await session.Out.WriteLineAsync($"web view at {server.Url} — open it to watch the demo (it starts when a page opens, or in {FirstPageWait.TotalSeconds:0} s)");
                try
                {
                    await server.Feed.FirstPageAsync.WaitAsync(FirstPageWait, ct);
                }
                catch (TimeoutException)
                {
                    // nobody is watching yet: start anyway, a page opened later joins the current scene
                }
            }

            await using var _ = server;
            var page = server is null ? DemoWeb.Off : new DemoWeb(server.Feed, TimeSpan.FromMilliseconds(parse.GetValue(pause)));
            await ChordDemo.RunAsync(session, client, n, ct, page);
            await PastryDemo.RunAsync(session, client, n, ct, page);
            await KelipsDemo.RunAsync(session, client, ct, page);
            await ChurnDemo.RunAsync(session, client, n, ct, page);
            await UnstructuredDemo.RunAsync(session, client, ct, page);
            await SwarmDemo.RunAsync(session, client, ct, page);
            if (server is not null)
            {
                await session.Out.WriteLineAsync($"the demo is over; the web view stays at {server.Url} until Ctrl+C");
                await WebCommand.UntilStoppedAsync(session, ct);
            }

            return P2PCli.Ok;
        }));
        return command;
    }
}
