using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using P2POrleans.BitTorrent;
using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>
/// `p2p swarm join|serve|add-peer`: a swarm on the wire — BEP 3 over TCP on 127.0.0.1 in real time,
/// with an HTTP tracker in the silo, so other BitTorrent clients (e.g. Transmission) can trade with it.
/// </summary>
public static class SwarmWireCommands
{
    public const int DefaultTrackerPort = 6969;

    public static IEnumerable<Command> Build(CommandEnvironment env) => [Join(env), Serve(env), AddPeer(env)];

    private static Command Join(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var torrent = new Argument<string>("torrent") { Description = "a .torrent file made elsewhere (e.g. by transmission-create)" };
        var peers = new Option<int>("--peers") { Description = "leechers of ours that will download it", DefaultValueFactory = _ => 3 };
        var seed = new Option<long>("--seed") { Description = "seed of every random choice", DefaultValueFactory = _ => 1 };
        var command = new Command("join", "Join a torrent made elsewhere: leechers only, no seed of ours; then `swarm serve` and `swarm add-peer`") { name, torrent, peers, seed };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var swarmName = parse.GetValue(name)!;
            var path = parse.GetValue(torrent)!;
            CliPaths.Full(path, "TORRENT");
            if (!File.Exists(path))
            {
                throw new CliException($"no file '{path}'");
            }

            if (new FileInfo(path).Length > 16 << 20)
            {
                throw new CliException($"'{path}' is larger than 16 MiB; not a .torrent file");
            }

            if (await client.GetGrain<IOverlayRegistryGrain>(swarmName).GetAsync() is { } existing)
            {
                throw new CliException($"overlay '{swarmName}' already exists ({existing.Parameters.Protocol}); delete it first or pick another name");
            }

            var parameters = new SwarmParameters { Peers = parse.GetValue(peers), Seed = parse.GetValue(seed) };
            var progress = await client.GetGrain<ISwarmGrain>(swarmName).JoinTorrentAsync(await File.ReadAllBytesAsync(path), parameters);
            if (session.Json)
            {
                session.WriteJson(new { joined = swarmName, info_hash = progress.InfoHash, pieces = progress.Pieces, leechers = progress.Leechers });
            }
            else
            {
                session.Out.WriteLine($"joined torrent {progress.InfoHash} as swarm '{swarmName}': {progress.Pieces} pieces, {progress.Leechers} leechers of ours, no seed; next: p2p swarm serve {swarmName} --listen 127.0.0.1:PORT");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Serve(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var listen = new Option<string>("--listen") { Description = "127.0.0.1:PORT of the first member; the others take the next ports (PORT 0: any free ports)", Required = true };
        var trackerPort = new Option<int?>("--tracker-port") { Description = $"port of the HTTP tracker on 127.0.0.1 (default: the one given to `swarm share`, else {DefaultTrackerPort})" };
        var torrentOut = new Option<string?>("--torrent") { Description = "write the .torrent (announcing to this tracker) here" };
        var wait = new Option<bool>("--wait") { Description = "wait until every leecher of ours has the whole file, showing progress" };
        var timeout = new Option<double>("--timeout") { Description = "with --wait: give up after this many seconds", DefaultValueFactory = _ => 3600 };
        var command = new Command("serve", "Put a swarm on the wire: BEP 3 over TCP on loopback in real time, and a BEP 3 HTTP tracker (compact peer lists)") { name, listen, trackerPort, torrentOut, wait, timeout };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var swarmName = parse.GetValue(name)!;
            var (host, port) = Endpoint(parse.GetValue(listen)!, "--listen");
            var limit = parse.GetValue(timeout);
            if (double.IsNaN(limit) || limit is <= 0 or > 86400)
            {
                throw new CliException($"--timeout must be between 0 and 86400 seconds (got {limit})");
            }

            var outPath = parse.GetValue(torrentOut) is { } t ? CliPaths.Full(t, "--torrent") : null;
            if (outPath is not null && Path.GetDirectoryName(outPath) is { } dir && !Directory.Exists(dir))
            {
                throw new CliException($"--torrent: folder '{dir}' does not exist");
            }

            var info = await OverlayCommands.RequireAsync(client, swarmName);
            if (info.Parameters is not SwarmParameters parameters)
            {
                throw new CliException($"overlay '{swarmName}' is a {info.Parameters.Protocol} overlay, not a swarm");
            }

            var given = parse.GetValue(trackerPort);
            if (given is not null && parameters.TrackerPort > 0 && given != parameters.TrackerPort)
            {
                throw new CliException($"--tracker-port: the .torrent of '{swarmName}' announces to port {parameters.TrackerPort}; serve the tracker there (or leave --tracker-port out)");
            }

            var tracker = given ?? (parameters.TrackerPort > 0 ? parameters.TrackerPort : DefaultTrackerPort);
            if (tracker is < 0 or > 65535)
            {
                throw new CliException($"--tracker-port must be between 1 and 65535, or 0 for any free port (got {tracker})");
            }

            var swarm = client.GetGrain<ISwarmGrain>(swarmName);
            var wall = Stopwatch.StartNew();
            var serving = await swarm.ServeAsync(host, port, tracker);
            if (outPath is not null)
            {
                await File.WriteAllBytesAsync(outPath, await swarm.GetTorrentAsync(), ct);
            }

            if (!session.Json)
            {
                session.Out.WriteLine($"swarm '{swarmName}' on the wire: tracker {serving.AnnounceUrl}; {serving.Peers.Count} members");
                foreach (var p in serving.Peers)
                {
                    session.Out.WriteLine($"  {p.Peer,-10} {p.Behaviour.ToString().ToLowerInvariant(),-10} {p.Endpoint}");
                }

                if (outPath is not null)
                {
                    session.Out.WriteLine($"  wrote {outPath}");
                }
            }

            var statuses = parse.GetValue(wait) ? await WaitAsync(session, swarm, serving, limit, ct) : null;
            if (session.Json)
            {
                session.WriteJson(new
                {
                    name = swarmName,
                    tracker = serving.AnnounceUrl,
                    peers = serving.Peers.Select(p => new { peer = p.Peer.Value, behaviour = p.Behaviour.ToString(), endpoint = p.Endpoint }),
                    torrent = outPath,
                    waited_seconds = statuses is null ? (double?)null : Math.Round(wall.Elapsed.TotalSeconds, 3),
                    complete = statuses?.Where(s => s.Behaviour != PeerBehaviour.Seed).All(s => s.Have == s.Pieces),
                });
            }

            return statuses is null || statuses.Where(s => s.Behaviour != PeerBehaviour.Seed).All(s => s.Have == s.Pieces) ? P2PCli.Ok : P2PCli.Unexpected;
        }));
        return command;
    }

    private static Command AddPeer(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var endpoint = new Argument<string>("endpoint") { Description = "127.0.0.1:PORT of a BitTorrent client with the same torrent" };
        var command = new Command("add-peer", "On the wire: every member of the swarm connects to this peer (e.g. a Transmission seed)") { name, endpoint };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var swarmName = parse.GetValue(name)!;
            var (host, port) = Endpoint(parse.GetValue(endpoint)!, "ENDPOINT");
            if (port == 0)
            {
                throw new CliException("ENDPOINT: a peer to dial needs its port (got 0)");
            }
            await OverlayCommands.RequireAsync(client, swarmName);
            await client.GetGrain<ISwarmGrain>(swarmName).AddPeerAsync(host, port);
            if (session.Json)
            {
                session.WriteJson(new { name = swarmName, dialled = $"{host}:{port}" });
            }
            else
            {
                session.Out.WriteLine($"the members of '{swarmName}' are connecting to {host}:{port}; see `p2p swarm status {swarmName}`");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    /// <summary>Polls the members until our leechers hold every piece (or the time is up), a line per quarter of progress.</summary>
    private static async Task<IReadOnlyList<SwarmPeerStatus>> WaitAsync(CliSession session, ISwarmGrain swarm, SwarmServeInfo serving, double limit, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var next = 0.25;
        while (true)
        {
            var statuses = await swarm.GetStatusAsync();
            var leechers = statuses.Where(s => s.Behaviour != PeerBehaviour.Seed).ToList();
            var held = leechers.Count == 0 ? 1 : leechers.Average(s => s.Have / (double)Math.Max(1, s.Pieces));
            var done = leechers.All(s => s.Have == s.Pieces);
            if (!session.Json && (held >= next || done))
            {
                var down = leechers.Sum(s => s.BytesDown);
                session.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {wall.Elapsed.TotalSeconds,7:F1} s  pieces held {Render.Percent(held),6}  complete {leechers.Count(s => s.Have == s.Pieces)}/{leechers.Count}  received {SwarmInput.FormatBytes(down)} ({SwarmInput.FormatBytes(down / Math.Max(0.001, wall.Elapsed.TotalSeconds))}/s)"));
                while (next <= held)
                {
                    next += 0.25;
                }
            }

            if (done || wall.Elapsed.TotalSeconds >= limit)
            {
                if (!done && !session.Json)
                {
                    session.Out.WriteLine($"gave up after {limit:F0} s: {leechers.Count(s => s.Have < s.Pieces)} leechers still incomplete (see `p2p swarm status`)");
                }

                return statuses;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    /// <summary>"127.0.0.1:6881" (loopback only: the wire mode is for this machine).</summary>
    public static (string Host, int Port) Endpoint(string text, string option)
    {
        if (!IPEndPoint.TryParse(text.Trim(), out var endpoint) || endpoint.Port is < 0 or > 65535 || !text.Contains(':', StringComparison.Ordinal))
        {
            throw new CliException($"{option}: '{text}' is not HOST:PORT (e.g. 127.0.0.1:6881)");
        }

        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new CliException($"{option}: only loopback addresses are served (got {endpoint.Address}); use 127.0.0.1");
        }

        return (endpoint.Address.ToString(), endpoint.Port);
    }
}
