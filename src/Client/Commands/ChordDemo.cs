using P2POrleans.Chord;
using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>The Chord part of the demo: join, stabilize, put/get, a traced lookup, crashes and healing.</summary>
public static class ChordDemo
{
    public const string Overlay = "demo-chord";

    public static async Task RunAsync(CliSession session, IClusterClient client, int peers, CancellationToken ct, DemoWeb? web = null)
    {
        var console = session.Console;
        var registry = await DemoScene.OpenAsync(session, client, "[bold]Chord[/] (Stoica et al., SIGCOMM 2001)", Overlay);

        // m = 16 keeps ids readable; everything below works the same with m = 160.
        var parameters = new ChordParameters { Bits = 16, Successors = 4, Replicas = 3, Seed = 7 };
        await registry.CreateAsync(parameters);
        var space = parameters.Space;
        var control = client.GetGrain<IChordOverlayGrain>(Overlay);
        web ??= DemoWeb.Off;
        await web.SceneAsync(Overlay, $"Chord: {peers} peers join the ring", ct);
        console.MarkupLine($"Created '{Overlay}': m = {parameters.Bits} bits, successor list r = {parameters.Successors}, {parameters.Replicas} copies of each key, stepped clock.");

        await KeyValueDemoSteps.JoinOneByOneAsync(session, control, peers, ct);
        var report = await control.CheckAsync();
        console.MarkupLine($"Joined {peers} peers. Before any stabilization round: successors {Render.Percent(report.SuccessorsCorrect)}, fingers {Render.Percent(report.FingersCorrect)} correct.");

        var rounds = await StabilizeUntilCorrectAsync(registry, control, 40);
        report = await control.CheckAsync();
        console.MarkupLine($"After {rounds} rounds of stabilize / fix_fingers: successors {Render.Percent(report.SuccessorsCorrect)}, predecessors {Render.Percent(report.PredecessorsCorrect)}, fingers {Render.Percent(report.FingersCorrect)} correct.");

        var members = await registry.GetMembersAsync();
        var first = client.GetGrain<IChordPeerGrain>(PeerKeys.For(Overlay, members[0]));
        const int keys = KeyValueDemoSteps.Songs;
        await KeyValueDemoSteps.PutSongsAsync(first);
        report = await control.CheckAsync();
        console.MarkupLine($"Stored {keys} keys: {report.KeysAtOwner}/{report.DistinctKeys} at their owner, {report.ReplicaCopiesPresent}/{report.ReplicaCopiesExpected} copies in place.");

        var from = members[^1];
        var traced = await client.GetGrain<IChordPeerGrain>(PeerKeys.For(Overlay, from)).LookupAsync(space.Hash("song-07.mp3"), "song-07.mp3");
        console.MarkupLine($"\nA traced lookup of [bold]song-07.mp3[/] (id {space.Format(traced.Key)}) from peer {space.Format(from)}: each hop is the closest finger preceding the key.");
        console.Write(Render.PathTable(space, traced));
        await web.TraceAsync(Overlay, P2POrleans.Web.Api.Traces.Lookup(space, traced, "song-07.mp3"), ct);
        console.MarkupLine($"owner {space.Format(traced.Owner)} after [bold]{traced.Hops}[/] hops ({traced.LatencyMs:F1} ms simulated); the paper's mean path is ½·log2 N = {0.5 * Math.Log2(peers):F1}.");

        await KeyValueDemoSteps.WriteMeanHopsAsync(session, space, first);

        var victims = members.Where((_, i) => i % 4 == 1).ToList();
        foreach (var v in victims)
        {
            await client.GetGrain<IChordPeerGrain>(PeerKeys.For(Overlay, v)).FailAsync();
        }

        await web.SceneAsync(Overlay, $"Chord: {victims.Count} of {peers} peers crashed; stabilization repairs the ring", ct);
        console.MarkupLine($"\n[red]Crashed {victims.Count} of {peers} peers at once[/] (no hand-over). Lookups route around them right away:");
        var survivor = client.GetGrain<IChordPeerGrain>(PeerKeys.For(Overlay, members[0]));
        var found = await KeyValueDemoSteps.ReadableSongsAsync(survivor);
        report = await control.CheckAsync();
        console.MarkupLine($"  before repair: {found}/{keys} keys readable (from replicas), successors {Render.Percent(report.SuccessorsCorrect)} correct.");
        rounds = await StabilizeUntilCorrectAsync(registry, control, 40);
        report = await control.CheckAsync();
        found = await KeyValueDemoSteps.ReadableSongsAsync(survivor);
        console.MarkupLine($"  after {rounds} rounds: successors {Render.Percent(report.SuccessorsCorrect)}, predecessors {Render.Percent(report.PredecessorsCorrect)}, fingers {Render.Percent(report.FingersCorrect)}; {found}/{keys} keys readable; {report.ReplicaCopiesPresent}/{report.ReplicaCopiesExpected} copies re-replicated.");

        var leaver = (await registry.GetMembersAsync())[1];
        await client.GetGrain<IChordPeerGrain>(PeerKeys.For(Overlay, leaver)).LeaveAsync();
        report = await control.CheckAsync();
        console.MarkupLine($"Peer {space.Format(leaver)} left gracefully: its keys went to its successor; ring still {Render.Percent(report.SuccessorsCorrect)} correct with no round run.\n");
    }

    /// <summary>Steps rounds until the ring and fingers match ground truth (or the limit).</summary>
    public static async Task<int> StabilizeUntilCorrectAsync(IOverlayRegistryGrain registry, IChordOverlayGrain control, int limit)
    {
        for (var r = 1; r <= limit; r++)
        {
            await registry.StepAsync(1);
            var report = await control.CheckAsync();
            if (report.RingCorrect && report.FingersCorrect >= 1.0 && report.ReplicaCopiesPresent == report.ReplicaCopiesExpected)
            {
                return r;
            }
        }

        return limit;
    }
}
