using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using P2POrleans.BitTorrent;
using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>`p2p swarm create|share|run|status|fetch`: a BitTorrent swarm on simulated time.</summary>
public static class SwarmCommands
{
    private const int StageChunk = 4 << 20;

    public static Command Build(CommandEnvironment env)
    {
        var swarm = new Command("swarm", "BitTorrent: a tracker and a swarm of peers trading verified pieces, on simulated time or on the wire (Cohen 2003; BEP 3)");
        swarm.Subcommands.Add(Create(env));
        swarm.Subcommands.Add(Share(env));
        swarm.Subcommands.Add(Run(env));
        swarm.Subcommands.Add(Status(env));
        swarm.Subcommands.Add(Fetch(env));
        foreach (var command in SwarmWireCommands.Build(env))
        {
            swarm.Subcommands.Add(command);
        }

        return swarm;
    }

    private sealed class SwarmOptions
    {
        public Option<int> Peers { get; } = new("--peers") { Description = "leechers (free riders and corrupters included)", DefaultValueFactory = _ => 50 };
        public Option<int> Seeds { get; } = new("--seeds") { Description = "seeds holding the whole file at the start", DefaultValueFactory = _ => 1 };
        public Option<string> Piece { get; } = new("--piece") { Description = "piece length, a power of two in 32KiB..4MiB", DefaultValueFactory = _ => "256KiB" };
        public Option<string> FreeRiders { get; } = new("--free-riders") { Description = "share of leechers that never upload, e.g. 10%", DefaultValueFactory = _ => "0%" };
        public Option<int> Corrupters { get; } = new("--corrupters") { Description = "leechers that corrupt every block they upload", DefaultValueFactory = _ => 0 };
        public Option<PiecePolicy> Policy { get; } = new("--policy") { Description = "piece selection", DefaultValueFactory = _ => PiecePolicy.RarestFirst };
        public Option<bool> NoChoking { get; } = new("--no-choking") { Description = "unchoke every interested peer (no tit for tat)" };
        public Option<int> UploadSlots { get; } = new("--upload-slots") { Description = "peers unchoked at once, the optimistic one included (mainline and BEP 3: 4)", DefaultValueFactory = _ => 5 };
        public Option<string> Upload { get; } = new("--upload") { Description = "upload capacity per peer per simulated second", DefaultValueFactory = _ => "1MiB" };
        public Option<string> Download { get; } = new("--download") { Description = "download capacity per peer per simulated second", DefaultValueFactory = _ => "4MiB" };
        public Option<bool> Leave { get; } = new("--leave-after-complete") { Description = "leechers leave as soon as they finish" };
        public Option<ArrivalPattern> Arrival { get; } = new("--arrival") { Description = "flash crowd (all at 0) or staggered", DefaultValueFactory = _ => ArrivalPattern.FlashCrowd };
        public Option<double> Interval { get; } = new("--arrival-interval") { Description = "seconds between staggered arrivals", DefaultValueFactory = _ => 10 };
        public Option<double> Tick { get; } = new("--tick") { Description = "simulated seconds per tick", DefaultValueFactory = _ => 1 };
        public Option<long> Seed { get; } = new("--seed") { Description = "seed of every random choice (and of the generated file)", DefaultValueFactory = _ => 1 };
        public Option<bool> PrivateStorage { get; } = new("--private-storage") { Description = "each peer keeps its own copy of the bytes (default: one verified copy per silo)" };
        public Option<int> TrackerPort { get; } = new("--tracker-port") { Description = "the .torrent announces to an HTTP tracker on 127.0.0.1:PORT (`swarm serve` starts it); default: the simulated tracker" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Peers, Seeds, Piece, FreeRiders, Corrupters, Policy, NoChoking, UploadSlots, Upload, Download, Leave, Arrival, Interval, Tick, Seed, PrivateStorage, TrackerPort })
            {
                command.Options.Add(option);
            }
        }

        public SwarmParameters Read(ParseResult parse, long fileSize, string fileName, bool fromFile) => new()
        {
            Peers = parse.GetValue(Peers),
            Seeds = parse.GetValue(Seeds),
            FileSize = fileSize,
            FileName = fileName,
            FromFile = fromFile,
            PieceLength = (int)Math.Min(int.MaxValue, SwarmInput.Bytes(parse.GetValue(Piece)!, "--piece")),
            FreeRiderFraction = SwarmInput.Percent(parse.GetValue(FreeRiders)!, "--free-riders"),
            Corrupters = parse.GetValue(Corrupters),
            Policy = parse.GetValue(Policy),
            Choking = !parse.GetValue(NoChoking),
            UploadSlots = parse.GetValue(UploadSlots),
            UploadRate = SwarmInput.Bytes(parse.GetValue(Upload)!, "--upload"),
            DownloadRate = SwarmInput.Bytes(parse.GetValue(Download)!, "--download"),
            LeaveAfterComplete = parse.GetValue(Leave),
            Arrival = parse.GetValue(Arrival),
            ArrivalIntervalSeconds = parse.GetValue(Interval),
            TickSeconds = parse.GetValue(Tick),
            Seed = parse.GetValue(Seed),
            SharedStorage = !parse.GetValue(PrivateStorage),
            TrackerPort = parse.GetValue(TrackerPort),
        };
    }

    private static Command Create(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var size = new Option<string?>("--size") { Description = "size of a generated file, e.g. 100MB (default 16MiB)" };
        var file = new Option<string?>("--file") { Description = "share this real file instead" };
        var options = new SwarmOptions();
        var command = new Command("create", "Create a swarm: a torrent, its tracker and seeds; leechers arrive during `swarm run`") { name, size, file };
        options.AddTo(command);
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var path = parse.GetValue(file);
            var sizeText = parse.GetValue(size);
            if (path is not null && sizeText is not null)
            {
                throw new CliException("give --size or --file, not both");
            }

            var content = path is null ? null : ReadFile(path);
            var parameters = content is null
                ? options.Read(parse, sizeText is null ? 16L << 20 : SwarmInput.Bytes(sizeText, "--size"), "generated.bin", fromFile: false)
                : options.Read(parse, content.Length, Path.GetFileName(path!), fromFile: true);
            await CreateAsync(session, client, parse.GetValue(name)!, parameters, content, torrentOut: null);
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Share(CommandEnvironment env)
    {
        var path = new Argument<string>("path") { Description = "the file to share" };
        var name = new Option<string?>("--name") { Description = "swarm name (default: from the file name)" };
        var torrent = new Option<string?>("--torrent") { Description = "also write the BEP 3 .torrent file here" };
        var options = new SwarmOptions();
        options.Peers.DefaultValueFactory = _ => 20;
        var command = new Command("share", "Share a real file: create a swarm seeding it (then `swarm run` and `swarm fetch`)") { path, name, torrent };
        options.AddTo(command);
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var file = parse.GetValue(path)!;
            var content = ReadFile(file);
            var swarmName = parse.GetValue(name) ?? DefaultName(file);
            if (OverlayNames.Problem(swarmName) is { } problem)
            {
                throw new CliException($"--name: {problem}");
            }

            var torrentOut = parse.GetValue(torrent);
            if (torrentOut is not null && Path.GetDirectoryName(CliPaths.Full(torrentOut, "--torrent")) is { } dir && !Directory.Exists(dir))
            {
                throw new CliException($"--torrent: folder '{dir}' does not exist");
            }

            await CreateAsync(session, client, swarmName, options.Read(parse, content.Length, Path.GetFileName(file), fromFile: true), content, torrentOut);
            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Run(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var maxTime = new Option<double>("--max-time") { Description = "stop after this many simulated seconds in total", DefaultValueFactory = _ => 3600 };
        var command = new Command("run", "Advance simulated time until every leecher has finished (or --max-time)") { name, maxTime };
        command.SetAction(env.Run(async (parse, session, client, ct) =>
        {
            var swarmName = parse.GetValue(name)!;
            var limit = parse.GetValue(maxTime);
            if (double.IsNaN(limit) || limit is <= 0 or > 10_000_000)
            {
                throw new CliException($"--max-time must be between 0 and 10,000,000 simulated seconds (got {limit})");
            }

            var swarm = await RequireSwarmAsync(client, swarmName);
            var parameters = (SwarmParameters)(await OverlayCommands.RequireAsync(client, swarmName)).Parameters;
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var progress = await RunWithProgressAsync(session, swarm, parameters, limit, ct);
            if (session.Json)
            {
                session.WriteJson(new
                {
                    name = swarmName,
                    simulated_seconds = progress.Time,
                    ticks = progress.Tick,
                    completed = progress.Completed,
                    leechers = progress.Leechers,
                    done = progress.Done,
                    wall_seconds = Math.Round(wall.Elapsed.TotalSeconds, 2),
                    completion_seconds = progress.Completions.Select(c => new { peer = c.Peer.Value, behaviour = c.Behaviour.ToString(), seconds = c.DownloadSeconds }),
                });
            }
            else
            {
                var times = progress.Completions.Select(c => c.DownloadSeconds).Order().ToList();
                var summary = times.Count == 0 ? "" : $"; download time mean {times.Average():F0} s, median {times[times.Count / 2]:F0} s, max {times[^1]:F0} s";
                session.Out.WriteLine($"{(progress.Done ? "done" : "stopped")} at {progress.Time:F0} simulated s ({progress.Tick} ticks, {wall.Elapsed.TotalSeconds:F1} s wall): {progress.Completed}/{progress.Leechers} leechers complete{summary}");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Status(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var command = new Command("status", "Per peer: pieces held, rates, who unchokes it, hash failures") { name };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var swarmName = parse.GetValue(name)!;
            var swarm = await RequireSwarmAsync(client, swarmName);
            var progress = await swarm.GetProgressAsync();
            var scrape = await swarm.ScrapeAsync();
            var peers = await swarm.GetStatusAsync();
            var serving = await swarm.GetServeInfoAsync();
            if (session.Json)
            {
                session.WriteJson(new
                {
                    name = swarmName,
                    info_hash = progress.InfoHash,
                    simulated_seconds = progress.Time,
                    tracker = new { seeds = scrape.Complete, leechers = scrape.Incomplete, downloaded = scrape.Downloaded },
                    peers = peers.Select(p => new
                    {
                        peer = p.Peer.Value,
                        behaviour = p.Behaviour.ToString(),
                        state = p.State,
                        have = p.Have,
                        pieces = p.Pieces,
                        upload_rate = p.UploadRate,
                        download_rate = p.DownloadRate,
                        bytes_up = p.BytesUp,
                        bytes_down = p.BytesDown,
                        connections = p.Connections,
                        unchoked_by = p.UnchokedBy.Select(u => u.Value),
                        completed_at = p.CompletedAt,
                        hash_failures = p.HashFailures,
                        banned = p.Banned.Select(b => b.Value),
                        listen = p.Listen,
                        links = p.Links.Select(l => new
                        {
                            peer = l.Peer.Value,
                            endpoint = l.Endpoint,
                            outside = l.Outside,
                            client = l.Client,
                            bytes_up = l.BytesUp,
                            bytes_down = l.BytesDown,
                            upload_rate = l.UploadRate,
                            download_rate = l.DownloadRate,
                            am_choking = l.AmChoking,
                            peer_choking = l.PeerChoking,
                            am_interested = l.AmInterested,
                            peer_interested = l.PeerInterested,
                        }),
                        closed = p.Closed,
                    }),
                    tracker_url = serving?.AnnounceUrl,
                });
                return P2PCli.Ok;
            }

            var when = serving is null ? $"at {progress.Time:F0} simulated s" : $"on the wire (tracker {Markup.Escape(serving.AnnounceUrl)})";
            session.Console.MarkupLine($"swarm [bold]{Markup.Escape(swarmName)}[/] {when}: info hash {progress.InfoHash[..16]}…, {progress.Pieces} pieces; tracker: {scrape.Complete} seeds, {scrape.Incomplete} leechers, {scrape.Downloaded} downloads completed");
            var table = new Table().AddColumns("peer", "role", "state", "have", "up/s", "down/s", "up total", "down total", "conns", "unchoked by", "done at", "bad/banned");
            if (serving is not null)
            {
                table.AddColumn("listen");
            }
            foreach (var p in peers)
            {
                var unchokedBy = string.Join(" ", p.UnchokedBy.Take(4).Select(u => u.Value)) + (p.UnchokedBy.Count > 4 ? $" +{p.UnchokedBy.Count - 4}" : "");
                List<string> cells =
                [
                    p.Peer.Value,
                    p.Behaviour.ToString().ToLowerInvariant(),
                    p.State,
                    Render.Percent(p.Pieces == 0 ? 0 : p.Have / (double)p.Pieces),
                    SwarmInput.FormatBytes(p.UploadRate),
                    SwarmInput.FormatBytes(p.DownloadRate),
                    SwarmInput.FormatBytes(p.BytesUp),
                    SwarmInput.FormatBytes(p.BytesDown),
                    p.Connections.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(unchokedBy),
                    p.CompletedAt is { } t ? $"{t:F0} s" : "",
                    p.HashFailures == 0 && p.Banned.Count == 0 ? "" : $"{p.HashFailures}/{string.Join(" ", p.Banned.Select(b => b.Value))}",
                ];
                if (serving is not null)
                {
                    cells.Add(p.Listen ?? "");
                }

                table.AddRow([.. cells]);
            }

            session.Console.Write(table);
            if (serving is not null)
            {
                SwarmWireStatus.Write(session, peers);
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    private static Command Fetch(CommandEnvironment env)
    {
        var name = OverlayCommands.NameArgument();
        var peer = new Option<string>("--peer") { Description = "the member whose copy to write (see `swarm status`)", Required = true };
        var output = new Option<string>("--out") { Description = "where to write the file", Required = true };
        var command = new Command("fetch", "Rebuild the file, byte for byte, from one member's verified pieces") { name, peer, output };
        command.SetAction(env.Run(async (parse, session, client, _) =>
        {
            var swarmName = parse.GetValue(name)!;
            var outPath = CliPaths.Full(parse.GetValue(output), "--out");
            if (Path.GetDirectoryName(outPath) is { } dir && !Directory.Exists(dir))
            {
                throw new CliException($"--out: folder '{dir}' does not exist");
            }

            var swarm = await RequireSwarmAsync(client, swarmName);
            var peerId = new PeerId(parse.GetValue(peer)!);
            var peers = await swarm.GetPeersAsync();
            if (peers.All(p => p.Peer != peerId))
            {
                throw new CliException($"--peer: no member '{peerId}' in swarm '{swarmName}' (e.g. {string.Join(", ", peers.Take(3).Select(p => p.Peer.Value))})");
            }

            var status = (await swarm.GetStatusAsync()).Single(s => s.Peer == peerId);
            if (status.Have < status.Pieces)
            {
                throw new CliException($"--peer: {peerId} is {status.State} with {status.Have}/{status.Pieces} pieces; run the swarm first");
            }

            var member = SwarmKeys.Member(client, swarmName, peerId);
            var temp = outPath + ".part";
            long written = 0;
            using var sha = SHA256.Create();
            await using (var stream = File.Create(temp))
            {
                for (var piece = 0; piece < status.Pieces; piece++)
                {
                    var data = await member.ReadPieceAsync(piece);
                    await stream.WriteAsync(data.Data);
                    sha.TransformBlock(data.Data.ToArray(), 0, data.Data.Length, null, 0);
                    written += data.Data.Length;
                }
            }

            sha.TransformFinalBlock([], 0, 0);
            File.Move(temp, outPath, overwrite: true);
            var digest = Convert.ToHexStringLower(sha.Hash!);
            if (session.Json)
            {
                session.WriteJson(new { peer = peerId.Value, @out = outPath, bytes = written, sha256 = digest });
            }
            else
            {
                session.Out.WriteLine($"wrote {written:N0} bytes from {peerId} to {outPath} (sha256 {digest})");
            }

            return P2PCli.Ok;
        }));
        return command;
    }

    /// <summary>Steps in chunks, showing simulated time and completion (a live bar, or a few lines when redirected).</summary>
    public static async Task<SwarmProgress> RunWithProgressAsync(CliSession session, ISwarmGrain swarm, SwarmParameters parameters, double maxTime, CancellationToken ct)
    {
        var progress = await swarm.GetProgressAsync();
        // Short steps: one grain call must finish within the response timeout (10 s) even for big swarms.
        var chunk = Math.Max(1, (int)Math.Round(2 / parameters.TickSeconds));
        var live = !session.Json && session.Out == Console.Out && !Console.IsOutputRedirected;
        if (live)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
                .StartAsync(async context =>
                {
                    var time = context.AddTask("simulated time", maxValue: maxTime);
                    var done = context.AddTask("leechers complete", maxValue: Math.Max(1, progress.Leechers));
                    var pieces = context.AddTask("pieces held (mean)", maxValue: 1);
                    while (!progress.Done && progress.Time < maxTime)
                    {
                        ct.ThrowIfCancellationRequested();
                        progress = await swarm.StepAsync(chunk);
                        time.Value = Math.Min(maxTime, progress.Time);
                        time.Description = $"simulated time {progress.Time:F0} s";
                        done.Value = progress.Completed;
                        done.Description = $"leechers complete {progress.Completed}/{progress.Leechers}";
                        pieces.Value = progress.MeanHave;
                    }

                    time.Value = time.MaxValue;
                });
            return progress;
        }

        var nextReport = 0.25;
        while (!progress.Done && progress.Time < maxTime)
        {
            ct.ThrowIfCancellationRequested();
            progress = await swarm.StepAsync(chunk);
            if (!session.Json && (progress.MeanHave >= nextReport || progress.Done))
            {
                session.Out.WriteLine($"  t = {progress.Time,6:F0} s  pieces held {Render.Percent(progress.MeanHave),6}  complete {progress.Completed}/{progress.Leechers}");
                while (nextReport <= progress.MeanHave)
                {
                    nextReport += 0.25;
                }
            }
        }

        return progress;
    }

    private static async Task CreateAsync(CliSession session, IClusterClient client, string name, SwarmParameters parameters, byte[]? content, string? torrentOut)
    {
        var problems = parameters.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new CliException(string.Join("; ", problems));
        }

        if (await client.GetGrain<IOverlayRegistryGrain>(name).GetAsync() is { } existing)
        {
            throw new CliException($"overlay '{name}' already exists ({existing.Parameters.Protocol}); delete it first or pick another name");
        }

        var swarm = client.GetGrain<ISwarmGrain>(name);
        if (content is not null)
        {
            for (var offset = 0; offset < content.Length; offset += StageChunk)
            {
                await swarm.StageContentAsync(offset, content[offset..Math.Min(content.Length, offset + StageChunk)], content.Length);
            }
        }

        var progress = await swarm.CreateAsync(parameters);
        if (torrentOut is not null)
        {
            await File.WriteAllBytesAsync(torrentOut, await swarm.GetTorrentAsync());
        }

        if (session.Json)
        {
            session.WriteJson(new { created = name, protocol = SwarmParameters.Name, info_hash = progress.InfoHash, pieces = progress.Pieces, leechers = progress.Leechers, parameters });
            return;
        }

        var source = parameters.FromFile ? $"file '{parameters.FileName}'" : "a generated file";
        session.Out.WriteLine($"created swarm '{name}': {source} of {parameters.FileSize:N0} bytes in {progress.Pieces} pieces of {SwarmInput.FormatBytes(parameters.PieceLength)}, info hash {progress.InfoHash}");
        session.Out.WriteLine($"  {parameters.Seeds} seed(s), {parameters.Peers} leechers ({parameters.FreeRiders} free riders, {parameters.Corrupters} corrupters), {parameters.Policy}, choking {(parameters.Choking ? "on" : "off")}, {parameters.Arrival}; next: p2p swarm run {name}");
        if (torrentOut is not null)
        {
            session.Out.WriteLine($"  wrote {torrentOut}");
        }
    }

    private static byte[] ReadFile(string path)
    {
        CliPaths.Full(path, "PATH");
        if (!File.Exists(path))
        {
            throw new CliException($"no file '{path}'");
        }

        var length = new FileInfo(path).Length;
        if (length is < 1 or > SwarmParameters.MaxFileSize)
        {
            throw new CliException($"'{path}' is {length:N0} bytes; a shared file must be between 1 byte and 1 GiB");
        }

        return File.ReadAllBytes(path);
    }

    private static string DefaultName(string path)
    {
        var chars = Path.GetFileNameWithoutExtension(path).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        var name = new string(chars).Trim('-', '.');
        return name.Length == 0 ? "shared" : name[..Math.Min(name.Length, 48)];
    }

    private static async Task<ISwarmGrain> RequireSwarmAsync(IClusterClient client, string name)
    {
        var info = await OverlayCommands.RequireAsync(client, name);
        if (info.Parameters is not SwarmParameters)
        {
            throw new CliException($"overlay '{name}' is a {info.Parameters.Protocol} overlay, not a swarm");
        }

        return client.GetGrain<ISwarmGrain>(name);
    }
}
