using System.Diagnostics;
using System.Globalization;
using P2POrleans.Chord;
using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.ClusterDemo;

/// <summary>
/// The cluster part of the demo (docs/cluster.md, "The demo"): no single point of failure, shown on a
/// real cluster. Three silo processes with Redis clustering, directory and storage; a durable Chord ring
/// (one copy per key, peers persisted in Redis) and a volatile ring whose three copies per key are spread
/// over the silos; the silo hosting the durable ring's registry is SIGKILLed and every key is read back at
/// once through the console's request path (catalog on any silo, retries with Polly); then the silo is
/// started again and every key is read once more. An in-process scene would mislead: a silo dying in
/// this process takes its share of the default grain directory and memory storage with it.
/// </summary>
public static class ClusterScene
{
    public const string DurableRing = "demo-durable";

    public const string SpreadRing = "demo-spread";

    public const int SiloCount = 3;

    /// <summary>The one line printed when redis-server is missing.</summary>
    public const string NoRedis = "the cluster scene starts a private redis-server, which is not installed (apt-get install -y redis-server, or brew install redis)";

    /// <summary>Bound on waiting for membership to declare the killed silo dead (a stuck cluster fails the scene instead of hanging it).</summary>
    private static readonly TimeSpan DeathBound = TimeSpan.FromMinutes(2);

    /// <summary>Runs the scene with <paramref name="peers"/> peers and <paramref name="keys"/> keys per ring; <paramref name="kill"/> is a silo index, or null for the registry's silo.</summary>
    public static async Task<ClusterSceneReport> RunAsync(CliSession session, int peers, int keys, int? kill, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var redisServer = LocalCluster.FindRedisServer() ?? throw new CliException(NoRedis);
        var console = session.Console;
        console.Write(new Rule("[bold]No single point of failure[/] (3 silo processes, Redis clustering and storage)").LeftJustified());
        session.Progress = "cluster scene: starting redis-server and 3 silos";
        using var cluster = await LocalCluster.StartAsync(redisServer, SiloCount, line => console.MarkupLine($"[grey]{Markup.Escape(line)}[/]"), ct);

        // Ctrl+C or SIGTERM: the processes go at once, before the client's connection is closed (which may wait on them).
        using var stopOnCancel = ct.Register(cluster.Dispose);
        var ok = false;
        try
        {
            var report = await RunOnAsync(session, cluster, peers, keys, kill, ct);
            ok = true;
            return report;
        }
        finally
        {
            cluster.KeepLogs = !ok && !ct.IsCancellationRequested;
            if (cluster.KeepLogs)
            {
                console.MarkupLine($"[grey]silo and redis logs kept in {Markup.Escape(cluster.Folder)}[/]");
            }

            // Disposed by `using`: every silo and redis-server SIGKILLed (the data was the scene's only).
            console.MarkupLine($"[grey]stopping the {SiloCount} silos and redis-server[/]");
        }
    }

    private static async Task<ClusterSceneReport> RunOnAsync(CliSession session, LocalCluster cluster, int peers, int keys, int? kill, CancellationToken ct)
    {
        var console = session.Console;
        var c = CultureInfo.InvariantCulture;
        var errors = new StringWriter(CultureInfo.InvariantCulture);
        await using var cli = new CliSession(TextWriter.Null, errors, token => ClusterConnection.ConnectAsync(cluster.Settings with { Storage = Hosting.StorageMode.Memory }, traceConsole: false, token));
        var client = await cli.ClientAsync(ct);
        var connect = $"--clustering redis --redis-connection {cluster.Settings.RedisConnection}";
        console.MarkupLine($"Connected through Redis ([grey]p2p {Markup.Escape(connect)} ...[/] reaches this cluster while the scene runs).");

        session.Progress = "cluster scene: building the rings";
        await CommandAsync(cli, session, $"chord create {DurableRing} --bits 32 --durable --replicas 1", ct);
        await CommandAsync(cli, session, $"chord join {DurableRing} --count {peers} --converged", ct);
        await CommandAsync(cli, session, $"chord create {SpreadRing} --bits 32 --replicas 3 --spread-replicas", ct);
        await CommandAsync(cli, session, $"chord join {SpreadRing} --count {peers} --converged", ct);
        var keyNames = Enumerable.Range(0, keys).Select(i => $"key-{i}").ToList();
        var access = new OverlayAccess(cli, client);
        var rings = new[] { DurableRing, SpreadRing };
        foreach (var ring in rings)
        {
            var (_, parameters) = await access.ParametersAsync<ChordParameters>(ring, "chord", ct);
            foreach (var key in keyNames)
            {
                await access.FromInitiatorAsync(ring, parameters, null, id => Peer(client, ring, id).PutAsync(key, ValueOf(key)), ct);
            }
        }

        // A peer learns its successors' silos at stabilize: rounds after the puts put every copy where spread placement wants it.
        await CommandAsync(cli, session, $"chord step {SpreadRing} --rounds 6", ct);
        console.MarkupLine($"Put {keys} keys into each ring: '{DurableRing}' keeps one copy per key in durable peers (their state in Redis); '{SpreadRing}' is volatile, with 3 copies per key on distinct silos.");

        var management = client.GetGrain<IManagementGrain>(0);
        var registryHost = await client.GetGrain<IOverlayRegistryGrain>(DurableRing).GetHostAsync().WaitAsync(ct);
        var victim = kill ?? cluster.IndexOf(registryHost.Endpoint.Port);
        if (victim is < 1 or > SiloCount)
        {
            throw new CliException($"the registry of '{DurableRing}' is on {registryHost}, which is none of the scene's silos");
        }

        var victimAddress = (await management.GetHosts(onlyActive: true).WaitAsync(ct)).Keys.Single(s => s.Endpoint.Port == cluster.SiloPort(victim));
        var onVictim = new Dictionary<string, int>();
        foreach (var ring in rings)
        {
            var members = await client.GetGrain<IOverlayRegistryGrain>(ring).GetMembersAsync().WaitAsync(ct);
            var count = 0;
            foreach (var m in members)
            {
                count += Equals(await management.GetActivationAddress(Peer(client, ring, m)).AsTask().WaitAsync(ct), victimAddress) ? 1 : 0;
            }

            onVictim[ring] = count;
        }

        var why = kill is null ? $"it hosts the registry of '{DurableRing}', the grain every command used to go through first" : "chosen with --kill-silo";
        console.MarkupLine($"\n[red]SIGKILL silo {victim}[/] (pid {cluster.SiloPid(victim)}; {why}), with {onVictim[DurableRing]} of the durable and {onVictim[SpreadRing]} of the spread peers. Every key is read back at once:");
        await using var membership = await DeathWatch.ConnectAsync(cluster.Settings, victimAddress, ct);
        var clock = Stopwatch.StartNew();
        cluster.Kill(victim);
        var declaredDead = membership.WatchAsync(clock, DeathBound, ct);

        session.Progress = "cluster scene: the first pass after the kill";
        var first = await PassAsync(client, access, rings, keyNames, clock, ct);
        console.MarkupLine($"  first pass, started at the kill: [bold]{first.Found} of {first.Gets}[/] gets answered with the right value ({Per(first, DurableRing)}, {Per(first, SpreadRing)}) in {first.Took.TotalSeconds.ToString("F1", c)} s; {first.Errors.Count} errors.");
        console.MarkupLine($"  gets that needed more than one try (the console retries with another initiator): {Retries(first, DurableRing)}; {Retries(first, SpreadRing)}.");
        if (first.FailedTries.Count > 0)
        {
            console.MarkupLine($"  what the failed tries met: {Markup.Escape(string.Join("; ", first.FailedTries.Select(kv => $"{kv.Key} ×{kv.Value}")))}.");
        }

        foreach (var error in first.Errors.Take(3))
        {
            console.MarkupLine($"  [red]{Markup.Escape(error)}[/]");
        }

        var dead = await declaredDead;
        console.MarkupLine($"  membership declared silo {victim} dead [bold]{dead.TotalSeconds.ToString("F1", c)} s[/] after the kill ({Hosting.FailureDetectionSettings.Default.Describe()}).");

        // The volatile ring repairs its pointers and copies by stabilization (the durable one needs no round: its peers came back from Redis).
        session.Progress = "cluster scene: repair and restart";
        await CommandAsync(cli, session, $"chord step {SpreadRing} --rounds 6", ct);
        var restart = Stopwatch.StartNew();
        await cluster.RestartAsync(victim, ct);
        console.MarkupLine($"Started silo {victim} again on its ports ({Markup.Escape(cluster.Describe(victim))}); it joined in {restart.Elapsed.TotalSeconds.ToString("F1", c)} s.");

        session.Progress = "cluster scene: the pass after the restart";
        var after = await PassAsync(client, access, rings, keyNames, Stopwatch.StartNew(), ct);
        var lost = after.Gets - after.Found;
        console.MarkupLine($"  after the restart: [bold]{after.Found} of {after.Gets}[/] keys read back ({Per(after, DurableRing)}, {Per(after, SpreadRing)}): " + (lost == 0 ? "[green]nothing lost[/]." : $"[red]{lost} not found[/]."));
        foreach (var error in after.Errors.Take(3))
        {
            console.MarkupLine($"  [red]{Markup.Escape(error)}[/]");
        }

        console.WriteLine();
        return new ClusterSceneReport(victim, first, dead, after);
    }

    /// <summary>One get of every key of every ring (alternating rings), through the console's retrying request path.</summary>
    private static async Task<ClusterScenePass> PassAsync(IClusterClient client, OverlayAccess access, string[] rings, List<string> keys, Stopwatch clock, CancellationToken ct)
    {
        var start = clock.Elapsed;
        var found = rings.ToDictionary(r => r, _ => 0);
        var errors = new List<string>();
        var retried = rings.ToDictionary(r => r, _ => 0);
        var lastRetry = rings.ToDictionary(r => r, _ => TimeSpan.Zero);
        var causes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        void Met(string ring, string cause) => causes[$"{ring}: {cause}"] = causes.GetValueOrDefault($"{ring}: {cause}") + 1;
        var parameters = new Dictionary<string, ChordParameters>();
        foreach (var ring in rings)
        {
            parameters[ring] = (await access.ParametersAsync<ChordParameters>(ring, "chord", ct)).Parameters;
        }

        foreach (var key in keys)
        {
            foreach (var ring in rings)
            {
                var began = clock.Elapsed;
                try
                {
                    var got = await access.FromInitiatorAsync(ring, parameters[ring], null, async id =>
                    {
                        // What each try met, counted so the retries can be explained (a try that answers is not counted).
                        try
                        {
                            var result = await Peer(client, ring, id).GetAsync(key);
                            if (result.Value is null && result.HoldersUnreachable > 0)
                            {
                                Met(ring, "holders of the key did not answer");
                            }

                            return result;
                        }
                        catch (PeerUnreachableException)
                        {
                            Met(ring, "the initiator picked was not a member (a volatile peer of the killed silo)");
                            throw;
                        }
                        catch (Exception e) when (ClusterFailure.IsTransient(e))
                        {
                            Met(ring, "a silo did not answer");
                            throw;
                        }
                    }, ct, r => r.Value is null && r.HoldersUnreachable > 0 ? $"{r.HoldersUnreachable} holder(s) of the key did not answer" : null);
                    if (got.Attempts > 1)
                    {
                        retried[ring]++;
                        lastRetry[ring] = began;
                    }

                    if (got.Value.Value == ValueOf(key))
                    {
                        found[ring]++;
                    }
                    else
                    {
                        errors.Add($"{ring} {key}: " + (got.Unavailable is { } u ? $"unavailable: {u}; {got.Tries}" : got.Value.Value is null ? "not found" : $"wrong value '{got.Value.Value}'"));
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested && (e is ClusterUnavailableException or CliException || P2PCli.UserMessage(e) is not null))
                {
                    errors.Add($"{ring} {key}: {P2PCli.OneLine(e.Message)}");
                }
            }
        }

        return new ClusterScenePass(found, keys.Count * rings.Length, retried, lastRetry, causes, errors, clock.Elapsed - start);
    }

    /// <summary>Runs one console command on the scene's cluster and shows it; a failure stops the scene with the command's error.</summary>
    private static async Task CommandAsync(CliSession cli, CliSession session, string command, CancellationToken ct)
    {
        session.Console.MarkupLine($"[grey]$ p2p {Markup.Escape(command)}[/]");
        var errors = ((StringWriter)cli.Error).GetStringBuilder().Clear();
        var code = await P2PCli.RunInSessionAsync(command.Split(' '), cli, ct);
        ct.ThrowIfCancellationRequested();
        if (code != P2PCli.Ok)
        {
            throw new CliException($"`p2p {command}` failed on the scene's cluster: {P2PCli.OneLine(errors.ToString())}");
        }
    }

    private static string Retries(ClusterScenePass pass, string ring) =>
        $"{ring} {pass.RetriedPerRing[ring]}" + (pass.RetriedPerRing[ring] > 0 ? $", the last one started {pass.LastRetried[ring].TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s after the kill" : "");

    private static string Per(ClusterScenePass pass, string ring) => $"{ring} {pass.FoundPerRing[ring]}/{pass.Gets / pass.FoundPerRing.Count}";

    /// <summary>The value the scene stores under <paramref name="key"/>.</summary>
    public static string ValueOf(string key) => "value-of-" + key;

    private static IChordPeerGrain Peer(IClusterClient client, string ring, NodeId id) => client.GetGrain<IChordPeerGrain>(PeerKeys.For(ring, id));
}
