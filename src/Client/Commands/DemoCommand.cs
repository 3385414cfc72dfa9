using System.CommandLine;
using P2POrleans.Client.ClusterDemo;
using P2POrleans.Web;

namespace P2POrleans.Client.Commands;

/// <summary>
/// `p2p demo`: a guided tour of every protocol, then churn, the unstructured three and BitTorrent; with
/// --cluster also the cluster scene (silo processes it starts itself, docs/cluster.md "The demo");
/// --only picks scenes.
/// </summary>
public static class DemoCommand
{
    /// <summary>The scenes in the order they run; "cluster" only when asked for (it needs redis-server).</summary>
    public static readonly string[] Scenes = ["chord", "pastry", "kelips", "churn", "unstructured", "swarm", "cluster"];

    /// <summary>Peers per ring and keys per ring of the cluster scene: a first pass of 300 gets, as in docs/cluster.md's scenario.</summary>
    public const int ClusterPeers = 48;

    public const int ClusterKeys = 150;

    /// <summary>How long `demo --web` waits for a person to open the page before it starts.</summary>
    private static readonly TimeSpan FirstPageWait = TimeSpan.FromSeconds(30);

    public static Command Build(CommandEnvironment env)
    {
        var peers = new Option<int>("--peers") { Description = "peers in the demo ring", DefaultValueFactory = _ => 32 };
        var web = new Option<bool>("--web") { Description = "also serve the live web view, which follows the demo (docs/web.md); it stays up after the demo until Ctrl+C" };
        var port = WebCommand.PortOption();
        var host = WebCommand.HostOption();
        var pause = new Option<int>("--pause") { Description = "with --web: milliseconds to wait after each scene, so the page can be watched", DefaultValueFactory = _ => 1500 };
        var cluster = new Option<bool>("--cluster") { Description = "end with the cluster scene: 3 silo processes and a private redis-server started by the demo, one SIGKILLed while every key is read (needs redis-server)" };
        var only = new Option<string?>("--only") { Description = $"run only these scenes, comma-separated: {string.Join(", ", Scenes)} (e.g. --only cluster needs no silo and no --embedded)" };
        var killSilo = new Option<int?>("--kill-silo") { Description = "the cluster scene kills this silo (1-3) instead of the one hosting the durable ring's registry" };
        var command = new Command("demo", "A guided tour: build overlays, look keys up with traces, fail peers and watch them heal") { peers, web, port, host, pause, cluster, only, killSilo };
        command.SetAction(async (parse, ct) =>
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

            var scenes = Chosen(parse.GetValue(only), parse.GetValue(cluster));
            var kill = parse.GetValue(killSilo);
            if (kill is { } k && (k < 1 || k > ClusterScene.SiloCount))
            {
                throw new CliException($"--kill-silo must be a silo of the cluster scene, 1 to {ClusterScene.SiloCount} (got {k})");
            }

            if (kill is not null && !scenes.Contains("cluster"))
            {
                throw new CliException("--kill-silo is an option of the cluster scene: add --cluster");
            }

            // Checked before the tour, not after it: the scene needs redis-server (the rest of the demo does not).
            if (scenes.Contains("cluster") && LocalCluster.FindRedisServer() is null)
            {
                throw new CliException(ClusterScene.NoRedis);
            }

            var tour = scenes.Where(s => s != "cluster").ToList();
            if (tour.Count == 0)
            {
                // The cluster scene alone connects only to the silos it starts.
                if (parse.GetValue(web))
                {
                    throw new CliException("--web follows the tour's scenes in the connected silo; the cluster scene runs its own silo processes");
                }

                return await ClusterAsync(env.Session, kill, ct);
            }

            return await env.Run((p, session, client, token) => TourAsync(p, session, client, tour, scenes.Contains("cluster") ? kill ?? 0 : null, token))(parse, ct);
        });
        return command;

        // The tour in the connected (or embedded) silo; cluster (0: the registry's silo) adds the cluster scene at its end.
        async Task<int> TourAsync(ParseResult parse, CliSession session, IClusterClient client, List<string> tour, int? cluster, CancellationToken ct)
        {
            var n = parse.GetValue(peers);
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
            var scenes = new Dictionary<string, Func<Task>>
            {
                ["chord"] = () => ChordDemo.RunAsync(session, client, n, ct, page),
                ["pastry"] = () => PastryDemo.RunAsync(session, client, n, ct, page),
                ["kelips"] = () => KelipsDemo.RunAsync(session, client, ct, page),
                ["churn"] = () => ChurnDemo.RunAsync(session, client, n, ct, page),
                ["unstructured"] = () => UnstructuredDemo.RunAsync(session, client, ct, page),
                ["swarm"] = () => SwarmDemo.RunAsync(session, client, ct, page),
            };
            foreach (var scene in tour)
            {
                await scenes[scene]();
            }

            var code = cluster is { } victim ? await ClusterAsync(session, victim, ct) : P2PCli.Ok;
            if (server is not null)
            {
                await session.Out.WriteLineAsync($"the demo is over; the web view stays at {server.Url} until Ctrl+C");
                await WebCommand.UntilStoppedAsync(session, ct);
            }

            return code;
        }
    }

    /// <summary>The scenes to run: all but the cluster's by default, that one too with --cluster, or the --only list.</summary>
    private static List<string> Chosen(string? only, bool cluster)
    {
        var chosen = only is null
            ? Scenes.Where(s => s != "cluster").ToList()
            : only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToLowerInvariant()).ToList();
        if (chosen.Count == 0)
        {
            throw new CliException($"--only needs at least one scene: {string.Join(", ", Scenes)}");
        }

        if (chosen.FirstOrDefault(s => !Scenes.Contains(s)) is { } unknown)
        {
            throw new CliException($"unknown scene '{P2PCli.OneLine(unknown)}' for --only (scenes: {string.Join(", ", Scenes)})");
        }

        if (cluster)
        {
            chosen.Add("cluster");
        }

        return [.. Scenes.Where(chosen.Contains)];
    }

    /// <summary>The cluster scene; exit 1 when it lost a key (it never should).</summary>
    private static async Task<int> ClusterAsync(CliSession session, int? kill, CancellationToken ct)
    {
        var report = await ClusterScene.RunAsync(session, ClusterPeers, ClusterKeys, kill is 0 ? null : kill, ct);
        var lost = report.AfterRestart.Gets - report.AfterRestart.Found;
        if (lost > 0)
        {
            await session.Error.WriteLineAsync($"error: the cluster scene could not read {lost} of {report.AfterRestart.Gets} keys back after the restart");
            return P2PCli.Unexpected;
        }

        return P2PCli.Ok;
    }
}
